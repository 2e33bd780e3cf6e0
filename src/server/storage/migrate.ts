import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Storage } from './db.js';
import * as initial from './migrations/001-initial.js';
import * as formerHolderIndex from './migrations/002-former-holder-index.js';
import * as listIndexes from './migrations/003-list-indexes.js';
import * as lastUseTable from './migrations/004-last-use-table.js';
import * as appendOnlyAudit from './migrations/005-append-only-audit.js';

const MIGRATIONS = {
  '001-initial': initial,
  '002-former-holder-index': formerHolderIndex,
  '003-list-indexes': listIndexes,
  '004-last-use-table': lastUseTable,
  '005-append-only-audit': appendOnlyAudit,
} as const;

/** Every migration, in the order they run. */
export const MIGRATION_NAMES = Object.keys(MIGRATIONS);

/**
 * Brings the schema up to date. Kysely's migrator takes a lock (a row lock on
 * PostgreSQL), so instances starting together run each migration once.
 */
export function migrateToLatest(storage: Storage): Promise<string[]> {
  return migrate(storage, (migrator) => migrator.migrateToLatest());
}

/** Brings the schema up to `name` and no further (tests of a migration over existing data). */
export function migrateUpTo(storage: Storage, name: keyof typeof MIGRATIONS): Promise<string[]> {
  return migrate(storage, (migrator) => migrator.migrateTo(name));
}

async function migrate(storage: Storage, run: (migrator: Migrator) => Promise<MigrationResultSet>): Promise<string[]> {
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(
        Object.entries(MIGRATIONS).map(([name, module]): [string, Migration] => [name, { up: (db) => module.up(db, storage.dialect) }]),
      ),
  };
  const { error, results } = await run(new Migrator({ db: storage.db, provider }));
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
