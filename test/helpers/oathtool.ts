import { execFileSync } from 'node:child_process';

/**
 * oathtool from OATH Toolkit (Debian package `oathtool`): an implementation of
 * HOTP and TOTP that nobody here wrote, to check ours against. Suites that
 * use it are skipped, with a note in their title, where it is not installed.
 */
export const OATHTOOL_AVAILABLE = ((): boolean => {
  try {
    execFileSync('oathtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export const OATHTOOL_SKIP_NOTE = OATHTOOL_AVAILABLE ? '' : ' [SKIPPED: oathtool is not installed; apt-get install oathtool]';
if (!OATHTOOL_AVAILABLE) console.warn('oathtool cross-checks skipped: oathtool is not installed (apt-get install oathtool)');

/** Runs oathtool: the OTPs it prints, one per line, and the command that reproduces them. */
export function oathtool(args: string[]): { command: string; otps: string[] } {
  const output = execFileSync('oathtool', args, { encoding: 'utf8' });
  return { command: `oathtool ${args.join(' ')}`, otps: output.trim().split('\n') };
}
