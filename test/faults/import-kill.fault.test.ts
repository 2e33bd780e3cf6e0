// SPEC §7 under a crash: an import is all-or-nothing even when the server process is killed -9 while it stores the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase } from '../helpers/databases.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { writePlainPskc } from '../helpers/large-pskc.js';
import { attempt, BASE, FAULT_DIALECTS, seedTenant, serverOptions, waitFor } from './fault-support.js';

const KEYS = 100_000;
const PREFIX = 'KILL';

let file: string;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-fault-import-'));
  file = path.join(dir, `kill-${KEYS}.pskcxml`);
  await writePlainPskc(file, KEYS, { prefix: PREFIX, manufacturer: 'Fault' });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Resolves once the server is inside the import's transaction, inserting
 * tokens: PostgreSQL shows the INSERT in pg_stat_activity; SQLite's write-ahead
 * log grows by megabytes (nothing else writes that much).
 */
async function insideTheImport(database: TestDatabase): Promise<string> {
  if (database.dialect === 'postgres') {
    const name = database.url!.split('/').pop()!;
    const client = new pg.Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    try {
      return await waitFor('the INSERT of the import', 120_000, async () => {
        const { rows } = await client.query<{ state: string }>(
          `select state from pg_stat_activity where datname = $1 and (query ilike 'insert into%hw_tokens%' or query ilike 'copy%hw_tokens%') and state in ('active', 'idle in transaction')`, [name]);
        return rows[0] ? `INSERT into hw_tokens (${rows[0].state})` : undefined;
      }, 5);
    } finally {
      await client.end();
    }
  }
  const wal = path.join(database.dataDir, 'hwtokens.db-wal');
  const size = () => (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
  const before = size();
  return waitFor('the write-ahead log to grow', 120_000, () => (size() - before > 2 * 1024 * 1024 ? `WAL +${((size() - before) / 1048576).toFixed(1)} MiB` : undefined), 5);
}

for (const dialect of FAULT_DIALECTS) {
  describe(`kill -9 during a ${KEYS.toLocaleString('en')}-key import (${dialect})`, () => {
    let database: TestDatabase;
    let server: ServerProcess | undefined;
    afterAll(async () => {
      await server?.stop();
      await database?.drop();
    });

    it('leaves no token, batch or import event of it after restart, and the file\'s keys import afterwards', async () => {
      database = await createTestDatabase(dialect);
      const options = serverOptions(database);
      server = await startServerProcess(options);
      const { admin, tokenAdmin, keys } = await seedTenant(server.baseUrl);
      const before = await admin.get(`${BASE}/audit?action=import&limit=500`);
      expect(before.status).toBe(200);

      const upload = async (baseUrl: string) => {
        const form = new FormData();
        form.append('format', 'pskc');
        form.append('file', await fs.openAsBlob(file), path.basename(file));
        return attempt(`${baseUrl}${BASE}/hw-tokens/import`, { method: 'POST', headers: { authorization: `Bearer ${keys.tokenAdmin}` }, body: form });
      };
      const answer = upload(server.baseUrl);
      const seen = await insideTheImport(database);
      await server.kill();
      const outcome = await answer;
      expect(outcome, `killed at: ${seen}`).toHaveProperty('lost');

      server = await startServerProcess(options);
      const after = tokenAdmin.on(server.baseUrl);
      const list = await after.get(`${BASE}/hw-tokens?serial=${PREFIX}&limit=1`);
      expect(list.status).toBe(200);
      expect({ total: list.body.total, seen }).toEqual({ total: 0, seen });
      expect((await after.get(`${BASE}/import-batches`)).body.items).toEqual([]);
      const storage = database.open();
      try {
        const count = async (table: 'hw_tokens' | 'import_batches') =>
          Number((await storage.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        expect(await count('hw_tokens')).toBe(0);
        expect(await count('import_batches')).toBe(0);
      } finally {
        await storage.close();
      }
      const audit = await admin.on(server.baseUrl).get(`${BASE}/audit?action=import&limit=500`);
      expect(audit.body.items.filter((e: any) => e.outcome === 'success')).toEqual([]);
      // The audit chain is whole across the crash.
      expect((await admin.on(server.baseUrl).get(`${BASE}/audit/verify`)).body.broken).toBeUndefined();

      // Nothing half-stored stands in the way (no serial of the file is taken, no lock is held): its first keys import.
      const head = path.join(dir, `head-${dialect}.pskcxml`);
      const text = fs.readFileSync(file, 'utf8').slice(0, 64 * 1024);
      fs.writeFileSync(head, `${text.slice(0, text.lastIndexOf('</KeyPackage>') + '</KeyPackage>'.length)}\n</KeyContainer>\n`);
      const form = new FormData();
      form.append('file', await fs.openAsBlob(head), 'head.pskcxml');
      const again = await attempt(`${server.baseUrl}${BASE}/hw-tokens/import`, { method: 'POST', headers: { authorization: `Bearer ${keys.tokenAdmin}` }, body: form });
      expect(again).toMatchObject({ status: 201, body: { format: 'pskc' } });
      const count = (again as { body: { count: number } }).body.count;
      expect(count).toBeGreaterThan(100);
      expect((await after.get(`${BASE}/hw-tokens?serial=${PREFIX}&limit=1`)).body.total).toBe(count);
    }, 240_000);
  });
}
