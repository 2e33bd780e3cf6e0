// The statements that store imported tokens (multi-row VALUES on SQLite, one
// array per column through unnest on PostgreSQL) store every value exactly,
// whatever characters it holds, on each database.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/server/lib/ids.js';
import { ImportRepository } from '../../src/server/modules/import/import-repository.js';
import { INSERT_ROWS, POSTGRES_TYPES } from '../../src/server/modules/import/token-insert.js';
import type { TokenRow } from '../../src/server/modules/tokens/token-repository.js';
import type { Storage } from '../../src/server/storage/db.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';

/** Text that array literals and parameter lists must carry through untouched. */
const AWKWARD = ['', 'NULL', 'null', '"quoted"', 'back\\slash', '{braces}', 'a,b', ' padded ', 'é ü 漢字 🔑', "it's", '\\"{,}\\'];
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function rowAt(tenantId: string, i: number): TokenRow {
  const text = AWKWARD[i % AWKWARD.length]!;
  const serial = `S-${String(i).padStart(5, '0')}`;
  const some = i % 3 === 0;
  return {
    id: newId(), tenant_id: tenantId, serial, serial_lower: serial.toLowerCase(), type: i % 2 ? 'totp' : 'hotp', status: 'active',
    vendor: text, model: some ? null : text, algorithm: 'SHA256', digits: 8, period: 60, counter: i === 1 ? MAX_SAFE : i,
    drift: (i % 5) - 2, last_step: some ? null : MAX_SAFE - i, yubico_public_id: some ? `cccc${String(i).padStart(8, '0')}` : null,
    yubico_use_counter: some ? 2 ** 31 - 1 : null, yubico_session_counter: some ? 255 : null, secret_enc: `hwt1.k.${i}`, key_id: 'k',
    holder_id: null, holder_sort: '', former_holder_id: null, assigned_at: some ? MAX_SAFE : null, fail_count: i % 7, lock_count: 0,
    locked_until: null, last_used_at: 0, created_at: 1_700_000_000_000 + i, updated_at: MAX_SAFE, compromised_at: null,
    compromise_reason: some ? text : null, compromised_by: null, batch_id: 'batch-1', description: text, description_lower: text.toLowerCase(), version: i,
  };
}

for (const dialect of DIALECTS) {
  describe(`storing imported tokens (${dialect})`, () => {
    let database: TestDatabase;
    let storage: Storage;
    const tenantId = newId();
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      storage = database.open();
      await storage.db.insertInto('tenants').values({ id: tenantId, slug: 'store', name: 'Store', settings: '{}', created_at: 0 }).execute();
    });
    afterAll(async () => {
      await storage?.close();
      await database?.drop();
    });

    it('stores full statements and a remainder, every value as given', async () => {
      const rows = Array.from({ length: 2 * INSERT_ROWS + 37 }, (_, i) => rowAt(tenantId, i));
      await new ImportRepository(storage.db, dialect, tenantId).insertTokens(rows);
      const stored = await storage.db.selectFrom('hw_tokens').selectAll().where('tenant_id', '=', tenantId).orderBy('serial').execute();
      expect(stored).toEqual(rows);
    });

    it('leaves out, and names, the rows whose serial (in any case) or public id a token of the tenant has', async () => {
      const repo = new ImportRepository(storage.db, dialect, tenantId);
      const existing = [rowAt(tenantId, 90_000), { ...rowAt(tenantId, 90_003), yubico_public_id: 'ccccexisting' }];
      await repo.insertTokens(existing);
      const sameSerial = { ...rowAt(tenantId, 1), serial: 'S-90000', serial_lower: 's-90000' };
      const samePublicId = { ...rowAt(tenantId, 3), serial: 'FRESH-3', serial_lower: 'fresh-3', yubico_public_id: 'ccccexisting' };
      const fresh = Array.from({ length: INSERT_ROWS + 5 }, (_, i) => rowAt(tenantId, 50_000 + i));
      const taken = await repo.insertUntaken([...fresh.slice(0, 7), sameSerial, ...fresh.slice(7), samePublicId]);
      expect(taken).toEqual(new Set([sameSerial.id, samePublicId.id]));
      const stored = await storage.db.selectFrom('hw_tokens').select('id').where('serial', 'like', 'S-5%').execute();
      expect(new Set(stored.map(({ id }) => id))).toEqual(new Set(fresh.map(({ id }) => id)));
      expect(await repo.takenKeys([sameSerial, samePublicId])).toEqual({ serials: new Set(['s-90000']), publicIds: new Set(['ccccexisting']) });
      expect(await repo.insertUntaken([rowAt(tenantId, 70_000)])).toEqual(new Set());
    });

    it('inserts nothing for no rows', async () => {
      const before = await storage.db.selectFrom('hw_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await new ImportRepository(storage.db, dialect, tenantId).insertTokens([]);
      const after = await storage.db.selectFrom('hw_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    if (dialect === 'postgres') {
      it('casts each array to the type the migrations gave its column', async () => {
        const { rows } = await sql<{ column_name: string; udt_name: string }>`select column_name, udt_name from information_schema.columns where table_schema = current_schema() and table_name = 'hw_tokens'`.execute(storage.db);
        expect(Object.fromEntries(rows.map((r) => [r.column_name, r.udt_name]))).toEqual(POSTGRES_TYPES);
      });
    }
  });
}
