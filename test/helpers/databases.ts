import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { openSqlite, openStorage, type Dialect, type Storage } from '../../src/server/storage/db.js';
import { migrateToLatest, migrateUpTo } from '../../src/server/storage/migrate.js';

/** SQLite always; PostgreSQL too when HWT_TEST_PG=1 (what .ci/run sets). */
export const DIALECTS: Dialect[] = process.env.HWT_TEST_PG === '1' ? ['sqlite', 'postgres'] : ['sqlite'];

export const PG_ADMIN_URL = process.env.HWT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  dialect: Dialect;
  /** HWT_DATABASE_URL for a server process, or the data folder of SQLite. */
  url?: string;
  dataDir: string;
  open(): Storage;
  drop(): Promise<void>;
}

/** A database of its own for one test file, migrated (up to `upTo` only, when given), dropped by `drop`. */
export async function createTestDatabase(dialect: Dialect, upTo?: Parameters<typeof migrateUpTo>[1]): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-test-'));
  if (dialect === 'sqlite') {
    const database: TestDatabase = {
      dialect, dataDir,
      open: () => openSqlite(path.join(dataDir, 'hwtokens.db')),
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
    await migrateOnce(database, upTo);
    return database;
  }
  const name = `hwt_test_${crypto.randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const database: TestDatabase = {
    dialect, url, dataDir,
    open: () => openStorage({ databaseUrl: url, dataDir }),
    drop: async () => {
      await adminQuery(`drop database if exists ${name} with (force)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await migrateOnce(database, upTo);
  return database;
}

async function migrateOnce(database: TestDatabase, upTo?: Parameters<typeof migrateUpTo>[1]): Promise<void> {
  const storage = database.open();
  await (upTo ? migrateUpTo(storage, upTo) : migrateToLatest(storage));
  await storage.close();
}

/** One statement on the PostgreSQL server's maintenance connection (create / drop database). */
export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
