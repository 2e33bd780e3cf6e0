import path from 'node:path';

/** Service configuration from the environment (SPEC.md §9). */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** `postgres://…` or undefined for the embedded SQLite file in dataDir. */
  databaseUrl: string | undefined;
  masterKey: string | undefined;
  masterKeyFile: string | undefined;
  adminUsername: string;
  adminPassword: string | undefined;
  logLevel: string;
  /** Largest request body in bytes; seed files have their own, larger limit. */
  bodyLimit: number;
  importLimit: number;
  trustProxy: boolean;
  /** PEM files: HTTPS is served directly when both are set. */
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.HWT_DATA_DIR ?? './data');
  return {
    host: env.HWT_HOST ?? '127.0.0.1',
    port: integer(env.HWT_PORT, 3000, 'HWT_PORT'),
    dataDir,
    databaseUrl: databaseUrl(env.HWT_DATABASE_URL),
    masterKey: env.HWT_MASTER_KEY || undefined,
    masterKeyFile: env.HWT_MASTER_KEY_FILE || undefined,
    adminUsername: env.HWT_ADMIN_USERNAME ?? 'admin',
    adminPassword: env.HWT_ADMIN_PASSWORD || undefined,
    logLevel: env.HWT_LOG_LEVEL ?? 'info',
    bodyLimit: integer(env.HWT_BODY_LIMIT, 64 * 1024, 'HWT_BODY_LIMIT'),
    importLimit: integer(env.HWT_IMPORT_LIMIT, 50 * 1024 * 1024, 'HWT_IMPORT_LIMIT'),
    trustProxy: env.HWT_TRUST_PROXY === 'true',
    tlsCertFile: env.HWT_TLS_CERT || undefined,
    tlsKeyFile: env.HWT_TLS_KEY || undefined,
  };
}

/**
 * A PostgreSQL URL, or undefined for the embedded file. Anything else is a
 * mistake that must not start an instance on a database of its own.
 */
function databaseUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^postgres(ql)?:\/\//.test(value)) throw new Error('HWT_DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the embedded SQLite database)');
  return value;
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, not "${value}"`);
  return parsed;
}
