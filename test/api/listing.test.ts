// SPEC §6 token list: every filter narrows as documented, every sort key orders both ways, stats count exactly, users show their tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addToken } from '../helpers/factories.js';
import { tokenUrl } from '../helpers/api-checks.js';
import { hotpCode, randomSecret } from '../helpers/otp-codes.js';
import type { HttpClient } from '../helpers/http-client.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { SORT_VALUE, expectSorted } from '../helpers/token-sort.js';
import { csvFile, importSeed } from './import-support.js';

type Row = { serial: string; type?: string; vendor?: string; model?: string; description?: string };
const TOKENS: Row[] = [
  { serial: 'ALPHA-001', vendor: 'Feitian', model: 'C200', description: 'Front desk 1' },
  { serial: 'alpha-002', type: 'totp', vendor: 'Feitian', model: 'C100' },
  { serial: 'ALPHA-010', vendor: 'feitian', model: 'C200', description: 'spare 100%' },
  { serial: 'BETA-001', type: 'totp', vendor: 'Token2', model: 'C302', description: 'Night shift' },
  { serial: 'BETA-002', vendor: 'Token2', model: 'C302' },
  { serial: 'GAMMA-1', vendor: 'OneSpan', model: 'DP270' },
  { serial: 'GAMMA-2', vendor: 'OneSpan', model: 'DP270', description: 'dropped in the river' },
];

for (const dialect of DIALECTS) {
  describe(`token list, stats, CSV and users (${dialect})`, () => {
    let t: TestApp;
    let base: string;
    let verifier: HttpClient;
    const ids: Record<string, string> = {};
    let batchId: string;

    beforeAll(async () => {
      t = await startTestApp(dialect);
      base = `/api/v1/tenants/${t.tenant}`;
      verifier = await t.apiKey('verifier');
      const users = {
        alice: await t.admin.post(`${base}/users`, { username: 'alice', displayName: 'Alice Liddell-ÖLUND', email: 'alice@example.org' }),
        alfred: await t.admin.post(`${base}/users`, { username: 'Alfred', displayName: '=cmd|calc' }),
        bob: await t.admin.post(`${base}/users`, { username: 'bob', displayName: 'Bob Builder', email: 'bob@example.org' }),
      };
      const secrets: Record<string, Buffer> = {};
      for (const row of TOKENS) {
        t.clock.advance(1000);
        secrets[row.serial] = randomSecret();
        const token = await addToken(t.admin, t.tenant, { type: 'hotp', ...row, secretHex: secrets[row.serial]!.toString('hex') });
        ids[row.serial] = token.id;
      }
      const assign = (serial: string, user: keyof typeof users) => t.admin.post(tokenUrl(t, ids[serial]!, 'assign'), { userId: users[user].body.id });
      await assign('ALPHA-001', 'alice');
      await assign('BETA-001', 'bob');
      await assign('BETA-002', 'bob');
      await assign('GAMMA-1', 'alfred');
      await t.admin.post(tokenUrl(t, ids['BETA-002']!, 'disable'));
      await t.admin.post(tokenUrl(t, ids['GAMMA-2']!, 'compromise'), { reason: 'lost' });
      t.clock.advance(1000);
      await verifier.post(`${base}/verify`, { username: 'Alfred', otp: hotpCode(secrets['GAMMA-1']!, 0) });
      t.clock.advance(1000);
      await verifier.post(`${base}/verify`, { username: 'alice', otp: hotpCode(secrets['ALPHA-001']!, 0) });
      const imported = await importSeed(t.admin, t.tenant, { name: 'batch.csv', content: csvFile([{ serial: 'IMP-1' }, { serial: 'IMP-2' }]) });
      expect(imported.status, imported.text).toBe(201);
      batchId = imported.body.batchId;
    });
    afterAll(async () => { await t?.close(); });

    const serials = async (query: string) => {
      const reply = await t.admin.get(`${base}/hw-tokens?limit=500&${query}`);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.total).toBe(reply.body.items.length);
      expect(reply.body.totalCapped).toBe(false);
      return reply.body.items.map((x: { serial: string }) => x.serial).sort();
    };

    it('filters by serial prefix, case-insensitive, and not by substring', async () => {
      expect(await serials('serial=alpha')).toEqual(['ALPHA-001', 'ALPHA-010', 'alpha-002']);
      expect(await serials('serial=ALPHA-00')).toEqual(['ALPHA-001', 'alpha-002']);
      expect(await serials('serial=lpha')).toEqual([]);
    });

    it('filters by one or more statuses, type, vendor and model', async () => {
      expect(await serials('status=disabled')).toEqual(['BETA-002']);
      expect(await serials('status=compromised')).toEqual(['GAMMA-2']);
      expect(await serials('status=disabled&status=compromised')).toEqual(['BETA-002', 'GAMMA-2']);
      expect((await serials('status=active')).length).toBe(7);
      expect(await serials('type=totp')).toEqual(['BETA-001', 'alpha-002']);
      expect(await serials('vendor=FEITIAN')).toEqual(['ALPHA-001', 'ALPHA-010', 'alpha-002']);
      expect(await serials('model=C302')).toEqual(['BETA-001', 'BETA-002']);
      expect(await serials('vendor=feitian&model=C200&type=hotp')).toEqual(['ALPHA-001', 'ALPHA-010']);
    });

    it('filters by assigned or in stock, and by holder username prefix', async () => {
      expect(await serials('assigned=true')).toEqual(['ALPHA-001', 'BETA-001', 'BETA-002', 'GAMMA-1']);
      expect(await serials('assigned=false')).toEqual(['ALPHA-010', 'GAMMA-2', 'IMP-1', 'IMP-2', 'alpha-002']);
      expect(await serials('user=AL')).toEqual(['ALPHA-001', 'GAMMA-1']);
      expect(await serials('user=bob&status=active')).toEqual(['BETA-001']);
      expect(await serials('user=ob')).toEqual([]);
    });

    it('searches q over serial, holder and description, with % and _ taken literally', async () => {
      expect(await serials('q=river')).toEqual(['GAMMA-2']);
      expect(await serials('q=SHIFT')).toEqual(['BETA-001']);
      expect(await serials('q=bob')).toEqual(['BETA-001', 'BETA-002']);
      expect(await serials('q=ta-00')).toEqual(['BETA-001', 'BETA-002']);
      expect(await serials('q=%25')).toEqual(['ALPHA-010']);
      expect(await serials('q=_')).toEqual([]);
    });

    it('filters by import batch', async () => {
      expect(await serials(`batch=${batchId}`)).toEqual(['IMP-1', 'IMP-2']);
      expect(await serials('batch=00000000-0000-4000-8000-000000000000')).toEqual([]);
    });

    for (const key of Object.keys(SORT_VALUE)) {
      for (const sort of [key, `-${key}`]) {
        it(`sorts by ${sort}`, async () => {
          const reply = await t.admin.get(`${base}/hw-tokens?limit=500&sort=${sort}`);
          expect(reply.status, reply.text).toBe(200);
          expect(reply.body.items).toHaveLength(9);
          expectSorted(reply.body.items, sort);
        });
      }
    }

    it('sorts by serial when no sort is given', async () => {
      expectSorted((await t.admin.get(`${base}/hw-tokens`)).body.items, 'serial');
    });

    it('counts exactly by status, assigned / in stock and locked', async () => {
      const reply = await t.admin.get(`${base}/hw-tokens/stats`);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toEqual({ total: 9, byStatus: { active: 7, disabled: 1, compromised: 1 }, assigned: 4, inStock: 4, locked: 0 });
    });

    it('lists users by username prefix, display name or e-mail, with token counts', async () => {
      const list = async (q: string) => (await t.admin.get(`${base}/users?q=${q}`)).body.items.map((u: { username: string }) => u.username);
      expect(await list('al')).toEqual(['Alfred', 'alice']);
      expect(await list('liddell')).toEqual(['alice']);
      // Beyond ASCII too: SQLite's own lower() would leave the Ö as it is.
      expect(await list(encodeURIComponent('ölund'))).toEqual(['alice']);
      expect(await list('bob%40example')).toEqual(['bob']);
      // % _ and \ are themselves, not wildcards: no user's name or e-mail holds them.
      for (const wild of ['%25', '_', '%5C', 'b_b', 'a%25e']) expect(await list(wild), wild).toEqual([]);
      const bob = (await t.admin.get(`${base}/users?q=bob`)).body.items[0];
      expect(bob).toMatchObject({ username: 'bob', activeTokens: 1, tokenCount: 2, email: 'bob@example.org' });
      const paged = await t.admin.get(`${base}/users?limit=2`);
      expect(paged.body).toMatchObject({ total: 3, totalCapped: false });
      const next = await t.admin.get(`${base}/users?limit=2&cursor=${encodeURIComponent(paged.body.nextCursor)}`);
      expect([...paged.body.items, ...next.body.items].map((u: { username: string }) => u.username)).toEqual(['Alfred', 'alice', 'bob']);
      expect(next.body.nextCursor).toBeNull();
    });

    it('shows a user with their tokens, by id or by username', async () => {
      const byName = await t.admin.get(`${base}/users/BOB`);
      expect(byName.status, byName.text).toBe(200);
      expect(byName.body.tokens.map((x: { serial: string }) => x.serial)).toEqual(['BETA-001', 'BETA-002']);
      expect(byName.body.tokens.map((x: { status: string }) => x.status)).toEqual(['active', 'disabled']);
      const byId = await t.admin.get(`${base}/users/${byName.body.id}`);
      expect(byId.body).toEqual(byName.body);
    });
  });
}
