// SPEC §5 lockout: consecutive failures lock a token for a growing period, in which even a right OTP answers `locked`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { tokenState, tokenUrl } from '../helpers/api-checks.js';
import { holderOf, wrongCode, type OtpToken } from '../helpers/otp-codes.js';
import type { HttpClient } from '../helpers/http-client.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

for (const dialect of DIALECTS) {
  describe(`verification lockout (${dialect})`, () => {
    let t: TestApp;
    let verifier: HttpClient;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      verifier = await t.apiKey('verifier');
    });
    afterAll(async () => { await t?.close(); });

    const verify = async (username: string, otp: string) =>
      (await verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username, otp })).body;
    const one = async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}]);
      const token = tokens[0]!;
      return { user, token, wrong: wrongCode(Array.from({ length: 40 }, (_, i) => token.code(i))) };
    };
    const fail = async (username: string, wrong: string, times: number) => {
      for (let i = 0; i < times; i++) expect(await verify(username, wrong)).toEqual({ accepted: false, reason: 'rejected' });
    };
    const lockedFor = async (token: OtpToken) => {
      const { json } = await tokenState(t, token.token.id);
      return json.locked ? (Date.parse(json.lockedUntil) - t.clock.now()) / 1000 : 0;
    };

    it('locks after 10 consecutive failures: then even a right OTP answers locked', async () => {
      const { user, token, wrong } = await one();
      await fail(user.username, wrong, 9);
      expect(await lockedFor(token)).toBe(0);
      expect((await tokenState(t, token.token.id)).json.failCount).toBe(9);
      await fail(user.username, wrong, 1);
      expect(await lockedFor(token)).toBe(300);
      expect(await verify(user.username, token.code(0))).toEqual({ accepted: false, reason: 'locked' });
      expect(await verify(user.username, wrong)).toEqual({ accepted: false, reason: 'locked' });
      // The right OTP was not consumed while locked.
      expect((await tokenState(t, token.token.id)).row.counter).toBe(0);
      const audit = await t.admin.get(`/api/v1/tenants/${t.tenant}/audit?action=verify&user=${user.username}&limit=3`);
      // The attempts while locked are in the token's history too.
      expect(audit.body.items[0]).toMatchObject({ outcome: 'locked', tokenId: token.token.id, serial: token.token.serial });
      expect(audit.body.items[2]).toMatchObject({ outcome: 'rejected', detail: expect.stringContaining('locked') });
    });

    it('a success resets the count', async () => {
      const { user, token, wrong } = await one();
      await fail(user.username, wrong, 9);
      expect(await verify(user.username, token.code(0))).toMatchObject({ accepted: true });
      expect((await tokenState(t, token.token.id)).json.failCount).toBe(0);
      await fail(user.username, wrong, 9);
      expect(await verify(user.username, token.code(1))).toMatchObject({ accepted: true });
    });

    it('the lock ends after its period, and grows on repeat', async () => {
      const { user, token, wrong } = await one();
      await fail(user.username, wrong, 10);
      expect(await lockedFor(token)).toBe(300);
      t.clock.advance(299_000);
      expect(await verify(user.username, token.code(0))).toEqual({ accepted: false, reason: 'locked' });
      t.clock.advance(1_000);
      expect(await lockedFor(token)).toBe(0);
      expect((await tokenState(t, token.token.id)).json).toMatchObject({ locked: false, lockedUntil: null });
      // Locked again: the period doubles, each time.
      for (const period of [600, 1200]) {
        for (let i = 0; i < 10 && (await lockedFor(token)) === 0; i++) await verify(user.username, wrong);
        expect(await lockedFor(token)).toBe(period);
        t.clock.advance(period * 1000);
      }
      expect(await verify(user.username, token.code(0))).toMatchObject({ accepted: true });
    });

    it('a right OTP sent together with wrong ones that reach the limit is not accepted: parallel guesses gain nothing', async () => {
      const settings = `/api/v1/tenants/${t.tenant}/settings`;
      expect((await t.admin.patch(settings, { maxFailures: 3 })).status).toBe(200);
      try {
        for (let trial = 0; trial < 5; trial++) {
          const { user, token, wrong } = await one();
          const burst = [...Array(10).fill(wrong), token.code(0)] as string[];
          const answers = await Promise.all(burst.map((otp) => verify(user.username, otp)));
          expect(answers.at(-1), `trial ${trial}`).not.toMatchObject({ accepted: true });
          // Locked once, for the first period: the guesses under way when it locked count nothing more.
          const { json, row } = await tokenState(t, token.token.id);
          expect([json.locked, json.failCount, row.lock_count], `trial ${trial}`).toEqual([true, 3, 1]);
        }
      } finally {
        await t.admin.patch(settings, { maxFailures: 10 });
      }
    });

    it("an operator's unlock clears the lock at once", async () => {
      const { user, token, wrong } = await one();
      await fail(user.username, wrong, 10);
      expect((await t.admin.post(tokenUrl(t, token.token.id, 'unlock'))).status).toBe(200);
      expect(await verify(user.username, token.code(0))).toMatchObject({ accepted: true });
    });

    it("follows the tenant's limit", async () => {
      expect((await t.admin.patch(`/api/v1/tenants/${t.tenant}/settings`, { maxFailures: 3, lockSeconds: 60 })).status).toBe(200);
      try {
        const { user, token, wrong } = await one();
        await fail(user.username, wrong, 3);
        expect(await lockedFor(token)).toBe(60);
        expect(await verify(user.username, token.code(0))).toEqual({ accepted: false, reason: 'locked' });
      } finally {
        await t.admin.patch(`/api/v1/tenants/${t.tenant}/settings`, { maxFailures: 10, lockSeconds: 300 });
      }
    });

    it('a locked token does not hide the other tokens of its user', async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}, {}]);
      const [a, b] = tokens as [OtpToken, OtpToken];
      const wrong = wrongCode([...Array.from({ length: 40 }, (_, i) => a.code(i)), ...Array.from({ length: 40 }, (_, i) => b.code(i))]);
      await fail(user.username, wrong, 10);
      expect(await lockedFor(a)).toBe(300);
      expect(await lockedFor(b)).toBe(300);
      expect((await t.admin.post(tokenUrl(t, b.token.id, 'unlock'))).status).toBe(200);
      expect(await verify(user.username, a.code(0))).toEqual({ accepted: false, reason: 'rejected' });
      expect(await verify(user.username, b.code(0))).toEqual({ accepted: true, tokenId: b.token.id, serial: b.token.serial });
    });
  });
}
