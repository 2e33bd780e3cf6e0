// SPEC §6 keyset paging: every sort pages through all matches without duplicates or gaps; total is exact up to 10,000, then capped.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addToken, addUser } from '../helpers/factories.js';
import { tokenPages, tokenUrl } from '../helpers/api-checks.js';
import { hotpCode } from '../helpers/otp-codes.js';
import { SORTS, expectSorted } from '../helpers/token-sort.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { newTokenRow } from '../../src/server/modules/tokens/token-factory.js';
import { TOKEN_SPEC_DEFAULTS } from '../../src/server/modules/tokens/token-spec.js';
import { DEFAULT_SETTINGS } from '../../src/server/modules/tenants/tenant-settings.js';
import { importSeed } from './import-support.js';

const SECRET = Buffer.from('12345678901234567890');
const BASE32_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

for (const dialect of DIALECTS) {
  describe(`token list paging (${dialect})`, () => {
    let t: TestApp;
    let base: string;
    const all: string[] = [];

    beforeAll(async () => {
      t = await startTestApp(dialect);
      base = `/api/v1/tenants/${t.tenant}`;
      // 100 tokens in one import (one timestamp: many ties), a third of them assigned to three users…
      const users = ['carol', 'dave', 'erin'];
      for (const username of users) await addUser(t.admin, t.tenant, username);
      const lines = Array.from({ length: 100 }, (_, i) => {
        const serial = `P${String((i * 37) % 100).padStart(3, '0')}-${i % 2 ? 'x' : 'Y'}`;
        const kind = i % 3 === 0 ? 'totp,6,30' : 'hotp,6,0';
        return `${serial},${BASE32_SECRET},${kind},SHA1,Vendor${i % 4},M${i % 5},${i % 3 === 1 ? users[i % users.length] : ''}`;
      });
      const imported = await importSeed(t.admin, t.tenant, {
        name: 'paging.csv', content: `serial,secret,type,digits,period|counter,algorithm,vendor,model,username\n${lines.join('\n')}\n`,
      });
      expect(imported.status, imported.text).toBe(201);
      // …and 20 more one by one, a second apart, some disabled or compromised, some used.
      for (let i = 0; i < 20; i++) {
        t.clock.advance(1000);
        const token = await addToken(t.admin, t.tenant, { serial: `Q${String(i).padStart(2, '0')}`, type: i % 2 ? 'totp' : 'hotp' });
        if (i % 5 === 0) await t.admin.post(tokenUrl(t, token.id, 'disable'));
        if (i % 7 === 3) await t.admin.post(tokenUrl(t, token.id, 'compromise'), { reason: 'paging test' });
      }
      const verifier = await t.apiKey('verifier');
      for (const username of users) {
        t.clock.advance(1000);
        await verifier.post(`${base}/verify`, { username, otp: hotpCode(SECRET, 0) });
      }
      const list = await t.admin.get(`${base}/hw-tokens?limit=500`);
      all.push(...list.body.items.map((x: { id: string }) => x.id));
    });
    afterAll(async () => { await t?.close(); });

    const pages = (query: string, limit: number, start: string | null = null) => tokenPages(t, query, limit, start);

    it('has 120 tokens to page through', () => {
      expect(all).toHaveLength(120);
    });

    for (const sort of SORTS) {
      it(`pages 120 tokens by ${sort}, 50 at a time, without duplicates or gaps`, async () => {
        const result = await pages(`sort=${sort}`, 50);
        expect(result.map((page) => page.length)).toEqual([50, 50, 20]);
        const items = result.flat();
        expect(new Set(items.map((x) => x.id)).size).toBe(120);
        expect(items.map((x) => x.id).sort()).toEqual([...all].sort());
        expectSorted(items, sort);
      });
    }

    it('pages a filtered list the same way, with small pages', async () => {
      const whole = (await t.admin.get(`${base}/hw-tokens?status=active&type=hotp&sort=-holder&limit=500`)).body;
      const result = await pages('status=active&type=hotp&sort=-holder', 7);
      expect(result.flat().map((x) => x.id)).toEqual(whole.items.map((x: { id: string }) => x.id));
      expect(whole.total).toBe(whole.items.length);
    });

    it('reports the exact total on every page', async () => {
      const first = await t.admin.get(`${base}/hw-tokens?limit=50`);
      expect(first.body).toMatchObject({ total: 120, totalCapped: false });
      const second = await t.admin.get(`${base}/hw-tokens?limit=50&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(second.body).toMatchObject({ total: 120, totalCapped: false });
    });

    it('neither repeats nor skips a token when one is added before the cursor meanwhile', async () => {
      const first = await t.admin.get(`${base}/hw-tokens?limit=50&sort=serial`);
      await addToken(t.admin, t.tenant, { serial: 'A-NEW-BEFORE' });
      const rest = await pages('sort=serial', 50, first.body.nextCursor);
      const seen = [...first.body.items, ...rest.flat()].map((x: { id: string }) => x.id);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...all].sort());
    });

    it('counts exactly up to 10,000 and then says 10,000+ (stats stay exact)', async () => {
      const created = await t.admin.post('/api/v1/tenants', { slug: 'big', name: 'Big Bank' });
      expect(created.status, created.text).toBe(201);
      const tenant = { id: created.body.id, slug: 'big', settings: DEFAULT_SETTINGS };
      const secret = crypto.randomBytes(20);
      const rows = Array.from({ length: 10_001 }, (_, i) => newTokenRow({ keyring: t.services.keyring, tenant },
        { ...TOKEN_SPEC_DEFAULTS, serial: `BIG-${String(i).padStart(5, '0')}`, type: 'hotp', secret }, { now: t.clock.now() }));
      for (let i = 0; i < rows.length; i += 500) {
        await t.services.storage.db.insertInto('hw_tokens').values(rows.slice(i, i + 500)).execute();
      }
      const capped = await t.admin.get('/api/v1/tenants/big/hw-tokens');
      expect(capped.body).toMatchObject({ total: 10_000, totalCapped: true });
      expect(capped.body.items).toHaveLength(50);
      const exact = await t.admin.get('/api/v1/tenants/big/hw-tokens?serial=BIG-0999');
      expect(exact.body).toMatchObject({ total: 10, totalCapped: false });
      const justUnder = await t.admin.get('/api/v1/tenants/big/hw-tokens?serial=BIG-0');
      expect(justUnder.body).toMatchObject({ total: 10_000, totalCapped: false });
      const stats = await t.admin.get('/api/v1/tenants/big/hw-tokens/stats');
      expect(stats.body).toMatchObject({ total: 10_001, inStock: 10_001, byStatus: { active: 10_001 } });
    });
  });
}
