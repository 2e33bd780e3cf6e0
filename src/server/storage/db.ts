import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  CompiledQuery, Kysely, PostgresDialect, sql, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter,
  type Driver, type RawBuilder, type SqliteDatabase, type SqliteDialectConfig, type SqliteStatement, type Transaction,
} from 'kysely';
import type { Database } from './schema.js';
import { postgresStatementNames } from './prepared.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction on it. */
export type Executor = Db | Tx;

export interface Storage {
  db: Db;
  dialect: Dialect;
  /** Human-readable place of the data, for start-up messages (no password). */
  location: string;
  /** Online backup of the embedded database to a file (SQLite only). */
  backup?(file: string): Promise<void>;
  close(): Promise<void>;
}

// int8 (COUNT, BIGINT columns of epoch milliseconds) as JS numbers: every value
// stored here stays below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

export interface StorageOptions {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /** SQLite: checkpoint in a worker thread (a serving process); else SQLite's own threshold. */
  backgroundCheckpoints?: { onError(message: string): void };
}

/** The embedded database's file in a data folder. */
export const embeddedDatabaseFile = (dataDir: string): string => path.join(dataDir, 'hwtokens.db');

/** A PostgreSQL URL as it may be shown: host, port and database, without credentials or parameters. */
export function printableLocation(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//').replace(/[?#].*$/, '');
}

export function openStorage(options: StorageOptions): Storage {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  return openSqlite(embeddedDatabaseFile(options.dataDir), options.backgroundCheckpoints);
}

/** Pages of write-ahead log past which a commit checkpoints by itself when a checkpointer runs (SQLite's default: 1,000). */
const BACKSTOP_CHECKPOINT_PAGES = 20_000;

/**
 * Bytes of the database file read through a memory map instead of a read()
 * per page: a list page that tests thousands of rows (free text over many
 * matches) takes a quarter to a third less time. It is address space, not
 * memory, and the most this build of SQLite maps (SQLITE_MAX_MMAP_SIZE): the
 * whole file up to about 900,000 tokens; pages beyond are read as before.
 * Writes still go through the write-ahead log.
 */
const MMAP_BYTES = 0x7fff0000;

export function openSqlite(file: string, backgroundCheckpoints?: StorageOptions['backgroundCheckpoints']): Storage {
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma(`mmap_size = ${MMAP_BYTES}`);
  database.function(UNICODE_LOWER, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : text));
  const checkpointer = backgroundCheckpoints && new SqliteCheckpointer(file, backgroundCheckpoints.onError);
  if (checkpointer) database.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  const db = new Kysely<Database>({ dialect: new WritingSqliteDialect({ database: withStatementCache(database) }) });
  return {
    db, dialect: 'sqlite', location: file,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
    // SQLite's online backup API: a consistent copy while the service writes.
    backup: async (target) => { await database.backup(target); },
  };
}

/**
 * Transactions that take SQLite's write lock when they begin (BEGIN
 * IMMEDIATE), not at their first write. Another process may write the same
 * file: the CLI (`import`, `keys rotate`) beside the server, or a second
 * server. A deferred transaction that has read and then wants to write after
 * that other process committed fails at once with SQLITE_BUSY, whatever the
 * busy timeout; one that holds the lock from its start waits for it instead.
 * Within a process the single connection runs one transaction at a time anyway.
 */
class WritingSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateTransactionsDriver(this.settings);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlAdapter();
  }
}

/**
 * SQLite changes its schema inside transactions, which Kysely's adapter does
 * not claim: its migrator then ran each statement on its own, so a migration
 * that failed half-way left half a schema, and two processes starting on a new
 * file both created the same tables. Claimed, a migration run is one
 * transaction, and BEGIN IMMEDIATE makes it the lock that Kysely takes on
 * PostgreSQL: the second process waits, then finds the schema up to date.
 */
class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateTransactionsDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** SQLite's own lower() folds ASCII letters only ("JÜRGEN" becomes "jÜrgen"); this one folds as PostgreSQL's does. */
const UNICODE_LOWER = 'unicode_lower';

/** `column` in lower case on either database, for comparisons that no index serves. */
export function lowerCaseOf(dialect: Dialect, column: string): RawBuilder<string> {
  return sql<string>`${sql.raw(dialect === 'sqlite' ? UNICODE_LOWER : 'lower')}(${sql.ref(column)})`;
}

const STATEMENT_CACHE_SIZE = 512;

/**
 * Kysely prepares every query anew; preparing costs more than running a small
 * statement. The service's queries are a few hundred shapes with parameters,
 * so prepared statements are kept and reused (the oldest dropped past the cap).
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (!statement) {
        statement = database.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(text, statement);
      }
      return statement as unknown as SqliteStatement;
    },
  };
}

function openPostgres(url: string, poolSize: number): Storage {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // A lost connection is reported by the query that uses it; a client's error
  // event must not crash the process, whether the client is idle in the pool
  // (the pool's 'error') or checked out between two queries (its own 'error':
  // the pool listens only while it holds the client). The pool drops a broken
  // client when it comes back.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    useNamedStatements(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const location = printableLocation(url);
  return { db, dialect: 'postgres', location, close: () => db.destroy() };
}

/**
 * Runs the prepared queries' SQL as named statements on this connection: the
 * server parses and plans each once per connection. Kysely passes (text,
 * values); every other query goes through unchanged.
 */
function useNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    const name = typeof text === 'string' && callback === undefined ? postgresStatementNames.get(text) : undefined;
    return name ? query({ name, text, values }) : query(text, values, callback);
  }) as typeof client.query;
}
