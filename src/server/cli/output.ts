import { AppError } from '../lib/app-error.js';

/** Prints an error as one line (never a stack trace for a user's mistake) and exits non-zero. */
export function fail(error: unknown): never {
  const message = error instanceof AppError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`hwtokens: ${message}\n`);
  if (error instanceof AppError && error.errors) for (const e of error.errors) process.stderr.write(`  ${e.ref}: ${e.reason}\n`);
  process.exit(1);
}

export const print = (value: unknown): void => {
  process.stdout.write(typeof value === 'string' ? `${value}\n` : `${JSON.stringify(value, null, 2)}\n`);
};
