// SPEC §6 sort by lastUsedAt after real verifications: the tokens used last come first, page after page. PostgreSQL
// keeps that order in hw_token_use by triggers (migration 004); it must stay equal to each token's last_used_at.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { tokenPages } from '../helpers/api-checks.js';
import { addToken } from '../helpers/factories.js';
import type { HttpClient } from '../helpers/http-client.js';
import { holderOf, type OtpToken } from '../helpers/otp-codes.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

for (const dialect of DIALECTS) {
  describe(`token list in the order of last use (${dialect})`, () => {
    let t: TestApp;
    let verifier: HttpClient;
    const holders: { username: string; token: OtpToken }[] = [];
    const unused: string[] = [];

    beforeAll(async () => {
      t = await startTestApp(dialect, { now: Date.UTC(2026, 0, 15, 9, 0, 0) });
      verifier = await t.apiKey('verifier');
      for (let i = 0; i < 5; i++) {
        const { user, tokens } = await holderOf(t.admin, t.tenant, [{}]);
        holders.push({ username: user.username, token: tokens[0]! });
      }
      for (let i = 0; i < 2; i++) unused.push((await addToken(t.admin, t.tenant, { type: 'hotp', secretHex: '31'.repeat(20) })).id);
    });
    afterAll(async () => { await t?.close(); });

    /** Verifies holder `i`'s next OTP one second after the last verification. */
    const use = async (i: number, counter: number) => {
      t.clock.advance(1000);
      const holder = holders[i]!;
      const reply = await verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username: holder.username, otp: holder.token.code(counter) });
      expect(reply.body.accepted, reply.text).toBe(true);
    };
    const idOf = (i: number) => holders[i]!.token.token.id as string;

    /** Every token's id in `sort`, read two to a page. */
    const listed = async (sort: string): Promise<string[]> => (await tokenPages(t, `sort=${sort}`, 2)).flat().map((x: { id: string }) => x.id);

    /** Never used tokens (lastUsedAt 0) tie, and ties go by id. */
    const neverUsed = (used: number[]) => [...holders.keys()].filter((i) => !used.includes(i)).map(idOf).concat(unused).sort();

    it('lists the tokens used last first, then those never used', async () => {
      for (const i of [3, 1, 4]) await use(i, 0);
      expect(await listed('-lastUsedAt')).toEqual([idOf(4), idOf(1), idOf(3), ...neverUsed([1, 3, 4]).reverse()]);
      expect(await listed('lastUsedAt')).toEqual([...neverUsed([1, 3, 4]), idOf(3), idOf(1), idOf(4)]);
    });

    it('moves a token to the front when it is used again', async () => {
      await use(3, 1);
      await use(0, 0);
      expect((await listed('-lastUsedAt')).slice(0, 4)).toEqual([idOf(0), idOf(3), idOf(4), idOf(1)]);
      const reply = await t.admin.get(`/api/v1/tenants/${t.tenant}/hw-tokens?status=active&sort=-lastUsedAt&limit=1`);
      expect(reply.body.items.map((x: { id: string }) => x.id)).toEqual([idOf(0)]);
    });

    it('filters by status in that order, also after a status changed', async () => {
      const disabled = await t.admin.post(`/api/v1/tenants/${t.tenant}/hw-tokens/${unused[1]}/disable`, {});
      expect(disabled.status, disabled.text).toBe(200);
      const page = async (query: string) => (await t.admin.get(`/api/v1/tenants/${t.tenant}/hw-tokens?${query}`)).body.items.map((x: { id: string }) => x.id);
      expect(await page('status=disabled&sort=-lastUsedAt')).toEqual([unused[1]]);
      expect(await page('status=active&status=disabled&sort=lastUsedAt&limit=3')).toEqual(neverUsed([0, 1, 3, 4]).slice(0, 3));
      expect(await page('status=active&sort=lastUsedAt&limit=7')).toEqual([...neverUsed([0, 1, 3, 4]).filter((id) => id !== unused[1]), idOf(1), idOf(4), idOf(3), idOf(0)]);
    });

    it.runIf(dialect === 'postgres')('keeps the order of last use equal to every token, whatever statement changed it', async () => {
      const { db } = t.services.storage;
      // A statement of many rows that changes some last uses and not others.
      await sql`update hw_tokens set last_used_at = last_used_at + 7 where id in (${idOf(1)}, ${idOf(2)})`.execute(db);
      const differing = await sql<{ n: number }>`select count(*)::int as n from hw_tokens t full join hw_token_use u on u.token_id = t.id
        where u.token_id is null or t.id is null or u.used_at <> t.last_used_at or u.tenant_id <> t.tenant_id or u.status <> t.status`.execute(db);
      expect(differing.rows[0]!.n).toBe(0);
      expect((await listed('-lastUsedAt')).slice(0, 4)).toEqual([idOf(0), idOf(3), idOf(4), idOf(1)]);
    });
  });
}
