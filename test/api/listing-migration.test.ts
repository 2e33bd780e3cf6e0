// Migrations 003 and 004 on a deployed database: the tokens stored before them are found by free text, vendor and model
// and listed in the order of last use as after them.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { Keyring } from '../../src/server/modules/secrets/keyring.js';
import { DEFAULT_SETTINGS } from '../../src/server/modules/tenants/tenant-settings.js';
import { newTokenRow } from '../../src/server/modules/tokens/token-factory.js';
import { TokenList } from '../../src/server/modules/tokens/token-list.js';
import { TOKEN_SPEC_DEFAULTS } from '../../src/server/modules/tokens/token-spec.js';
import { MIGRATION_NAMES, migrateToLatest } from '../../src/server/storage/migrate.js';
import type { Storage } from '../../src/server/storage/db.js';

const tenant = { id: crypto.randomUUID(), slug: 'deployed', settings: DEFAULT_SETTINGS };
const ctx = { keyring: Keyring.fromKeys([crypto.randomBytes(32)]), tenant };
const token = (serial: string, more: { vendor?: string; description?: string; holder?: { id: string; username: string } } = {}) =>
  newTokenRow(ctx, { ...TOKEN_SPEC_DEFAULTS, serial, type: 'hotp', secret: crypto.randomBytes(20), vendor: more.vendor, description: more.description }, { now: Date.now(), holder: more.holder });

for (const dialect of DIALECTS) {
  describe(`migrations 003 and 004 over stored tokens (${dialect})`, () => {
    let database: TestDatabase;
    let storage: Storage;
    let list: TokenList;
    const serials = async (filter: Record<string, string>) => (await list.page(filter)).rows.map((r) => r.serial).sort();

    beforeAll(async () => {
      database = await createTestDatabase(dialect, '002-former-holder-index');
      storage = database.open();
      const { db } = storage;
      await db.insertInto('tenants').values({ id: tenant.id, slug: tenant.slug, name: 'Deployed', settings: JSON.stringify(DEFAULT_SETTINGS), created_at: Date.now() }).execute();
      const holder = { id: crypto.randomUUID(), username: 'Old.Timer' };
      await db.insertInto('users').values({ id: holder.id, tenant_id: tenant.id, username: holder.username, username_lower: 'old.timer', display_name: null, email: null, external_id: null, created_at: Date.now() }).execute();
      await db.insertInto('hw_tokens').values([
        token('LEGACY-001', { vendor: 'Feitian', description: 'Kept in the safe' }),
        token('LEGACY-002', { vendor: 'FEITIAN', holder }),
        token('OTHER-003', { vendor: 'Token2' }),
      ]).execute();
      await db.updateTable('hw_tokens').set({ last_used_at: Date.now() }).where('serial', '=', 'LEGACY-002').execute();
      expect(await migrateToLatest(storage)).toEqual(MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('003-list-indexes')));
      list = new TokenList(storage.db, dialect, tenant.id);
    });
    afterAll(async () => {
      await storage?.close();
      await database?.drop();
    });

    it('finds the earlier tokens by free text', async () => {
      expect(await serials({ q: 'gacy-00' })).toEqual(['LEGACY-001', 'LEGACY-002']);
      expect(await serials({ q: 'the safe' })).toEqual(['LEGACY-001']);
      expect(await serials({ q: 'old.tim' })).toEqual(['LEGACY-002']);
    });

    it('lists the earlier tokens in the order of last use (migration 004)', async () => {
      const page = await list.page({ sort: '-lastUsedAt' });
      expect(page.rows.map((r) => r.serial)).toEqual(['LEGACY-002', ...[page.rows[1]!, page.rows[2]!].sort((a, b) => (a.id < b.id ? 1 : -1)).map((r) => r.serial)]);
      expect((await list.page({ sort: 'lastUsedAt', status: 'active' })).rows.at(-1)?.serial).toBe('LEGACY-002');
    });

    it('filters the earlier tokens by vendor, whatever its case', async () => {
      expect(await serials({ vendor: 'feitian' })).toEqual(['LEGACY-001', 'LEGACY-002']);
    });

    it('keeps the search index in step with tokens added since', async () => {
      await storage.db.insertInto('hw_tokens').values(token('NEWER-004', { description: 'Arrived after the upgrade' })).execute();
      expect(await serials({ q: 'upgrade' })).toEqual(['NEWER-004']);
    });

    it('keeps the search index in step with changed and removed tokens', async () => {
      const { db } = storage;
      await db.updateTable('hw_tokens').set({ description: 'Moved to the vault', description_lower: 'moved to the vault' }).where('serial', '=', 'LEGACY-001').execute();
      expect(await serials({ q: 'the safe' })).toEqual([]);
      expect(await serials({ q: 'the vault' })).toEqual(['LEGACY-001']);
      await db.deleteFrom('hw_tokens').where('serial', 'in', ['LEGACY-001', 'NEWER-004']).execute();
      expect(await serials({ q: 'vault' })).toEqual([]);
      expect(await serials({ q: 'upgrade' })).toEqual([]);
    });
  });
}
