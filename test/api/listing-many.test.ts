// SPEC §6 on more than 10,000 matches: free text and prefix filters then walk the sort order (token-list-walk.ts) instead
// of their own index; the pages must be the same as the contract's order says, page after page, whatever the walk skips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { DIALECTS } from '../helpers/databases.js';
import { addUser } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { newTokenRow } from '../../src/server/modules/tokens/token-factory.js';
import { TOKEN_SPEC_DEFAULTS } from '../../src/server/modules/tokens/token-spec.js';
import { DEFAULT_SETTINGS } from '../../src/server/modules/tenants/tenant-settings.js';
import type { TokenListQuery } from '../../src/contract/tokens.js';
import { TokenList } from '../../src/server/modules/tokens/token-list.js';
import { filterConditions, type Access } from '../../src/server/modules/tokens/token-list-query.js';

/**
 * 10,600 tokens, seven to a millisecond (ties to break across the walk's
 * windows), a few disabled. The first 400 by serial have no
 * description and the first 200 no holder, so a walk in serial order reads
 * whole windows without a match before it finds any.
 */
const COUNT = 10_600;
const HOLDERS = ['walker-ann', 'walker-bob', 'Walker-Cy'];
interface Model { id: string; serial: string; status: string; createdAt: number; description: string | null; holder: string }

for (const dialect of DIALECTS) {
  describe(`token list with more than 10,000 matches (${dialect})`, () => {
    let t: TestApp;
    let tenantId: string;
    const model: Model[] = [];

    beforeAll(async () => {
      t = await startTestApp(dialect);
      const created = await t.admin.post('/api/v1/tenants', { slug: 'many', name: 'Many Tokens' });
      tenantId = created.body.id;
      const tenant = { id: tenantId, slug: 'many', settings: DEFAULT_SETTINGS };
      const users = await Promise.all(HOLDERS.map(async (username) => ({ id: (await addUser(t.admin, 'many', username)).id, username })));
      const start = t.clock.now();
      const rows = Array.from({ length: COUNT }, (_, i) => {
        const spec = { ...TOKEN_SPEC_DEFAULTS, serial: `W${String(i).padStart(5, '0')}`, type: 'hotp' as const, secret: Buffer.alloc(20, i % 256), description: i >= 400 ? `Spare unit ${i}` : null };
        const holder = i >= 200 ? users[i % users.length]! : null;
        const row = newTokenRow({ keyring: t.services.keyring, tenant }, spec, { now: start + Math.floor(i / 7), holder });
        if (i % 13 === 0) row.status = 'disabled';
        model.push({ id: row.id, serial: spec.serial, status: row.status, createdAt: row.created_at, description: spec.description, holder: row.holder_sort });
        return row;
      });
      for (let i = 0; i < rows.length; i += 500) await t.services.storage.db.insertInto('hw_tokens').values(rows.slice(i, i + 500)).execute();
    });
    afterAll(async () => { await t?.close(); });

    /** The first `count` pages of `limit`, following nextCursor, each with the total of `matches`. */
    async function pages(query: string, limit: number, count: number, matches: number): Promise<string[]> {
      const serials: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < count; page++) {
        const reply = await t.admin.get(`/api/v1/tenants/many/hw-tokens?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(reply.status, reply.text).toBe(200);
        expect(reply.body).toMatchObject({ total: Math.min(matches, 10_000), totalCapped: matches > 10_000 });
        serials.push(...reply.body.items.map((x: { serial: string }) => x.serial));
        cursor = reply.body.nextCursor;
      }
      return serials;
    }

    const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const bySerial = (a: Model, b: Model) => compare(a.serial, b.serial);
    const newestFirst = (a: Model, b: Model) => b.createdAt - a.createdAt || compare(b.id, a.id);
    const statusDescending = (a: Model, b: Model) => compare(b.status, a.status) || compare(b.serial, a.serial);
    const cases: [string, (m: Model) => boolean, (a: Model, b: Model) => number][] = [
      ['q=spare', (m) => m.description !== null, bySerial],
      ['q=SPARE&sort=-createdAt', (m) => m.description !== null, newestFirst],
      ['q=sp', (m) => m.description !== null, bySerial],
      ['q=spare&sort=-status', (m) => m.description !== null, statusDescending],
      ['q=unit%201&sort=-createdAt', (m) => (m.description ?? '').includes('unit 1'), newestFirst],
      ['user=walker', (m) => m.holder.startsWith('walker'), bySerial],
      ['user=WALKER-&type=hotp&sort=-createdAt', (m) => m.holder.startsWith('walker-'), newestFirst],
      ['serial=w&sort=-createdAt', () => true, newestFirst],
    ];
    for (const [query, matches, order] of cases) {
      it(`pages ${query} in the contract's order, with its total`, async () => {
        const all = model.filter(matches).sort(order);
        expect(await pages(query, 170, 3, all.length)).toEqual(all.slice(0, 3 * 170).map((m) => m.serial));
      });
    }

    // Both ways to the rows give the same pages, for sparse filters too (the walk crosses windows inside runs of ties).
    for (const query of ['q=unit%201', 'user=walker-bob', 'serial=w01&status=disabled', 'q=spare&assigned=true']) {
      for (const sort of ['serial', '-createdAt', 'createdAt', '-status', 'type', 'holder', '-lastUsedAt']) {
        it(`walks ${query}&sort=${sort} to the same pages as its filter finds`, async () => {
          const tokens = new TokenList(t.services.storage.db, dialect, tenantId);
          const filter = { ...Object.fromEntries(new URLSearchParams(query)), sort, limit: 150 } as TokenListQuery;
          const walk = async (access: Access) => {
            const ids: string[] = [];
            let cursor: string | undefined;
            for (let page = 0; page < 3; page++) {
              const result = await tokens.list({ ...filter, cursor }, access);
              ids.push(...result.rows.map((r) => r.id));
              cursor = result.nextCursor ?? undefined;
            }
            return ids;
          };
          const byFilter = await walk('by-filter');
          expect(byFilter.length).toBeGreaterThan(0);
          expect(await walk('by-order')).toEqual(byFilter);
        });
      }
    }

    it('narrows free text with the trigram index of migration 003 on this database', async () => {
      const { db } = t.services.storage;
      const [search] = filterConditions({ q: 'spare' }, dialect, true);
      const query = db.selectFrom('hw_tokens').select('id').where(search!).compile();
      const explain = dialect === 'postgres' ? 'explain' : 'explain query plan';
      const plan = await db.transaction().execute(async (tx) => {
        // A small table is cheaper to scan: the plan must show that the index can serve the expression.
        if (dialect === 'postgres') await sql`set local enable_seqscan = off`.execute(tx);
        return (await tx.executeQuery(CompiledQuery.raw(`${explain} ${query.sql}`, [...query.parameters]))).rows;
      });
      expect(JSON.stringify(plan)).toMatch(dialect === 'postgres' ? /Bitmap Index Scan on hw_tokens_search/ : /SCAN hw_tokens_search VIRTUAL TABLE/);
    });
  });
}

