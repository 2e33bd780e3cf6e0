import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CONSOLE_DIST, REPO_ROOT } from './paths.js';

/** `vite build` of the console into dist/console, in production mode. */
export function buildConsole(): void {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

export function isConsoleBuilt(): boolean {
  return existsSync(`${CONSOLE_DIST}/index.html`);
}

/**
 * Builds the console once for the whole run, unless HWT_E2E_SKIP_BUILD=1 and
 * a build is already there.
 */
export default function setup(): void {
  if (process.env.HWT_E2E_SKIP_BUILD === '1' && isConsoleBuilt()) return;
  buildConsole();
}
