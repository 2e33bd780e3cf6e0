// SPEC §3/§5 under concurrency inside one process: simultaneous requests accept an OTP once and keep a user's last active token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { tokenUrl } from '../helpers/api-checks.js';
import { holderOf } from '../helpers/otp-codes.js';
import type { HttpClient } from '../helpers/http-client.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const TRIALS = 50;

for (const dialect of DIALECTS) {
  describe(`concurrent requests in one process (${dialect})`, () => {
    let t: TestApp;
    let verifiers: HttpClient[];
    beforeAll(async () => {
      t = await startTestApp(dialect);
      verifiers = [await t.apiKey('verifier'), await t.apiKey('verifier')];
    });
    afterAll(async () => { await t?.close(); });

    it(`accepts the same HOTP exactly once among 4 simultaneous verifications (${TRIALS} trials)`, async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}]);
      const outcomes: number[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        const body = { username: user.username, otp: tokens[0]!.code(trial) };
        const replies = await Promise.all([0, 1, 0, 1].map((i) => verifiers[i]!.post(`/api/v1/tenants/${t.tenant}/verify`, body)));
        outcomes.push(replies.filter((r) => r.body.accepted === true).length);
        for (const reply of replies) if (!reply.body.accepted) expect(reply.body).toEqual({ accepted: false, reason: 'rejected' });
      }
      expect(outcomes).toEqual(Array(TRIALS).fill(1));
      expect(Number((await t.services.storage.db.selectFrom('hw_tokens').select('counter').where('id', '=', tokens[0]!.token.id)
        .executeTakeFirstOrThrow()).counter)).toBe(TRIALS);
    });

    it(`accepts the same TOTP exactly once among 4 simultaneous verifications (${TRIALS} trials)`, async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{ type: 'totp' }]);
      const outcomes: number[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        t.clock.advance(30_000);
        const body = { username: user.username, otp: tokens[0]!.code(Math.floor(t.clock.now() / 30_000)) };
        const replies = await Promise.all([0, 1, 0, 1].map((i) => verifiers[i]!.post(`/api/v1/tenants/${t.tenant}/verify`, body)));
        outcomes.push(replies.filter((r) => r.body.accepted === true).length);
      }
      expect(outcomes).toEqual(Array(TRIALS).fill(1));
    });

    it(`disables exactly one of a user's two active tokens when both are disabled at once (${TRIALS} trials)`, async () => {
      const helpdesk = [await t.operator('helpdesk'), await t.apiKey('helpdesk')];
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}, {}]);
      const [first, second] = tokens.map((x) => x.token.id as string) as [string, string];
      for (let trial = 0; trial < TRIALS; trial++) {
        const [x, y] = trial % 2 ? [first, second] : [second, first];
        const replies = await Promise.all([helpdesk[0]!.post(tokenUrl(t, x, 'disable')), helpdesk[1]!.post(tokenUrl(t, y, 'disable'))]);
        expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
        expect(replies.find((r) => r.status === 409)!.body.code).toBe('LAST_ACTIVE_TOKEN');
        expect((await t.admin.get(`/api/v1/tenants/${t.tenant}/users/${user.id}`)).body.activeTokens).toBe(1);
        expect((await t.admin.post(tokenUrl(t, replies[0]!.status === 200 ? x : y, 'enable'))).status).toBe(200);
      }
    });

    it('a reset and verifications at the same moment: each verification sees the counter before or after, never between', async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}]);
      const { token, code } = tokens[0]!;
      for (let trial = 0; trial < 20; trial++) {
        const c = trial * 100 + 50;
        const [reset, ...verifies] = await Promise.all([
          t.admin.post(tokenUrl(t, token.id, 'reset'), { otp1: code(c), otp2: code(c + 1) }),
          ...[0, 1, 0].map((i) => verifiers[i]!.post(`/api/v1/tenants/${t.tenant}/verify`, { username: user.username, otp: code(c + 2) })),
        ]);
        expect(reset!.status, JSON.stringify(reset!.body)).toBe(200);
        expect(verifies.filter((r) => r.body.accepted).length).toBeLessThanOrEqual(1);
        const { counter } = await t.services.storage.db.selectFrom('hw_tokens').select('counter').where('id', '=', token.id).executeTakeFirstOrThrow();
        expect([c + 2, c + 3]).toContain(Number(counter));
        await t.admin.post(tokenUrl(t, token.id, 'unlock'));
      }
    });

    it(`keeps both of two settings changed at the same moment (${TRIALS} trials)`, async () => {
      const settings = `/api/v1/tenants/${t.tenant}/settings`;
      for (let trial = 0; trial < TRIALS; trial++) {
        const [a, b] = await Promise.all([t.admin.patch(settings, { maxFailures: 20 + trial }), t.admin.patch(settings, { lockSeconds: 600 + trial })]);
        expect([a.status, b.status]).toEqual([200, 200]);
        expect((await t.admin.get(settings)).body).toMatchObject({ maxFailures: 20 + trial, lockSeconds: 600 + trial });
      }
      const [latest] = (await t.admin.get(`/api/v1/tenants/${t.tenant}/audit?action=settings.update&limit=1`)).body.items;
      expect(latest.detail).toMatch(/^(maxFailures \d+ → \d+|lockSeconds \d+ → \d+)$/);
      await t.admin.patch(settings, { maxFailures: 10, lockSeconds: 300 });
    });

    it('kept the audit chain whole through all of it', async () => {
      const report = await t.admin.get(`/api/v1/tenants/${t.tenant}/audit/verify`);
      expect(report.body.broken).toBeUndefined();
      expect(report.body.checked).toBeGreaterThan(8 * TRIALS);
    });
  });
}
