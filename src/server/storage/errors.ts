/** A unique index refused the row (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The database cannot be reached: the request is answered 503, not 500. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003'].includes(code)) return true;
  const message = (error as Error | null)?.message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|is not queryable/.test(message);
}

/** PostgreSQL refused a text value it cannot store (U+0000 in a string: 22021; or 22P05). */
export function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '22021' || code === '22P05';
}

/** SQLite waited out its busy timeout for another process's lock (SQLITE_BUSY and its variants). */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** How long a start keeps trying while other processes hold the embedded database's lock. */
const STARTUP_PATIENCE_MS = 30_000;

/**
 * Runs a step of a start (opening and migrating the database, creating the
 * first superadmin) again while SQLite is busy: processes that start together
 * on one file take turns at its lock, and a turn can outlast the 5 s busy
 * timeout on a loaded machine. Any other error ends the start at once.
 */
export async function retryWhileBusy<T>(step: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + STARTUP_PATIENCE_MS;
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
