import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CONSOLE_DIST, REPO_ROOT } from './paths.js';

/**
 * Builds the console once for the whole run (vite build), unless
 * HWT_E2E_SKIP_BUILD=1 and a build is already there.
 */
export default function setup(): void {
  if (process.env.HWT_E2E_SKIP_BUILD === '1' && existsSync(`${CONSOLE_DIST}/index.html`)) return;
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
