// Several processes on one SQLite file: servers that start together on a new
// data folder (one schema, one superadmin, one master key), a schema change
// that fails half-way, a start that fails.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { openServices } from '../../src/server/services.js';
import { openStorage, type Storage } from '../../src/server/storage/db.js';
import { retryWhileBusy } from '../../src/server/storage/errors.js';
import { migrateToLatest, MIGRATION_NAMES } from '../../src/server/storage/migrate.js';
import { hotpCode } from '../helpers/otp-codes.js';
import { RemoteClient, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const ROUNDS = 4;
const BASE = '/api/v1/tenants/acme';
const SECRET = crypto.randomBytes(20);
const dirs: string[] = [];

function newDataDir(): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-sqlite-processes-'));
  dirs.push(dataDir);
  return dataDir;
}

/** A table that the first migration creates late, after most of its tables: made beforehand, the migration fails half-way. */
const makeClashingTable = (storage: Storage) => sql`create table audit_heads (clash integer)`.execute(storage.db);

describe('processes on one SQLite file', () => {
  afterAll(() => { for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true }); });

  it(`two servers started at the same moment on a new data folder both come up, with each migration and the first superadmin once (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const dataDir = newDataDir();
      const options = { databaseUrl: '', masterKey: '', dataDir, adminPassword: 'two-processes-on-one-file' };
      const started = await Promise.allSettled([startServerProcess(options), startServerProcess(options)]);
      const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      try {
        expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'up'))).toEqual(['up', 'up']);
        const storage = openStorage({ dataDir });
        try {
          const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(storage.db);
          expect(migrations.rows.map((m) => m.name)).toEqual(MIGRATION_NAMES);
          expect(await storage.db.selectFrom('operators').select('username').execute()).toEqual([{ username: 'admin' }]);
        } finally {
          await storage.close();
        }
        // One master key, the same for both: a token stored through one verifies through the other.
        expect(fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim().split('\n')).toHaveLength(1);
        const [a, b] = servers as [ServerProcess, ServerProcess];
        const admin = await RemoteClient.signIn(a.baseUrl, 'admin', options.adminPassword);
        expect((await admin.post('/api/v1/tenants', { slug: 'acme', name: 'Acme Bank' })).status).toBe(201);
        const user = await admin.post(`${BASE}/users`, { username: 'alice' });
        const token = await admin.post(`${BASE}/hw-tokens`, { serial: 'K1', type: 'hotp', secretHex: SECRET.toString('hex') });
        expect((await admin.post(`${BASE}/hw-tokens/${token.body.id}/assign`, { userId: user.body.id })).status).toBe(200);
        const verified = await admin.on(b.baseUrl).post(`${BASE}/verify`, { username: 'alice', otp: hotpCode(SECRET, 0) });
        expect(verified.body).toMatchObject({ accepted: true });
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    }
  }, 120_000);

  it("a start waits out another process's lock for longer than the busy timeout, instead of failing", async () => {
    const dataDir = newDataDir();
    // Another process's long write: an exclusive lock on the new file, let go after a second.
    const other = new SQLite(path.join(dataDir, 'hwtokens.db'));
    other.exec('begin exclusive');
    const release = setTimeout(() => { other.exec('commit'); other.close(); }, 1_000);
    const started = Date.now();
    try {
      const services = await retryWhileBusy(() => openServices(loadConfig({ HWT_DATA_DIR: dataDir, HWT_ADMIN_PASSWORD: 'waiting-password-2026' })));
      try {
        // The first try waited SQLite's 5 s (its busy wait blocks the timer), the next found the lock gone.
        expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
        const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(services.storage.db);
        expect(migrations.rows.map((m) => m.name)).toEqual(MIGRATION_NAMES);
      } finally {
        await services.storage.close();
      }
    } finally {
      clearTimeout(release);
      if (other.open) other.close();
    }
  }, 60_000);

  it('a migration that fails half-way leaves none of its schema behind', async () => {
    const dataDir = newDataDir();
    const storage = openStorage({ dataDir });
    try {
      await makeClashingTable(storage);
      await expect(migrateToLatest(storage)).rejects.toThrow(/audit_heads/);
      const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(storage.db);
      expect(tables.rows.map((t) => t.name).filter((name) => !name.startsWith('kysely_'))).toEqual(['audit_heads']);
    } finally {
      await storage.close();
    }
  });

  it('a start that fails says why and exits with 1', async () => {
    const dataDir = newDataDir();
    const storage = openStorage({ dataDir });
    await makeClashingTable(storage);
    await storage.close();
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', 'serve'], {
      env: { ...process.env, HWT_DATA_DIR: dataDir, HWT_DATABASE_URL: '', HWT_MASTER_KEY: '', HWT_PORT: '0', HWT_ADMIN_PASSWORD: 'a-start-that-fails' },
      timeout: 60_000,
    });
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/audit_heads/) });
  }, 60_000);
});
