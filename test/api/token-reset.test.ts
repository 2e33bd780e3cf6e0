// SPEC §4 reset (resync) re-aligns counter or drift from two consecutive OTPs, says why it failed, and clears locks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addToken } from '../helpers/factories.js';
import { expectAuditedSuccess, expectProblem, expectRefused, tokenState, tokenUrl } from '../helpers/api-checks.js';
import { holderOf, stepOf, wrongCode, type OtpToken } from '../helpers/otp-codes.js';
import type { HttpClient } from '../helpers/http-client.js';
import { addYubicoToken, newYubiKeyIdentity } from '../helpers/yubico-otp.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

for (const dialect of DIALECTS) {
  describe(`token reset and unlock (${dialect})`, () => {
    let t: TestApp;
    let verifier: HttpClient;
    beforeAll(async () => {
      // 10 s into a 30 s step, so that a test's few seconds never cross a step.
      t = await startTestApp(dialect, { now: Date.UTC(2026, 0, 15, 9, 0, 10) });
      verifier = await t.apiKey('verifier');
    });
    afterAll(async () => { await t?.close(); });

    const reset = (id: string, otp1: string, otp2: string) => t.admin.post(tokenUrl(t, id, 'reset'), { otp1, otp2 });
    const verify = (user: { username: string }, otp: string) =>
      verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username: user.username, otp }).then((r) => r.body);
    const hotpHolder = async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}]);
      return { user, token: tokens[0]!.token, code: tokens[0]!.code };
    };

    it('hotp: two consecutive OTPs far ahead set the counter to c+2; HOTP(c+2) verifies, HOTP(c+1) does not', async () => {
      const { user, token, code } = await hotpHolder();
      expect(await verify(user, code(500))).toEqual({ accepted: false, reason: 'rejected' });
      const reply = await reset(token.id, code(500), code(501));
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ id: token.id, failCount: 0, locked: false });
      expect((await tokenState(t, token.id)).row.counter).toBe(502);
      await expectAuditedSuccess(t, token.id, 'reset');
      expect(await verify(user, code(501))).toEqual({ accepted: false, reason: 'rejected' });
      expect(await verify(user, code(502))).toEqual({ accepted: true, tokenId: token.id, serial: token.serial });
    });

    it('hotp: searches from the stored counter up to the sync window (1000) and no further', async () => {
      const edge = await hotpHolder();
      expect((await reset(edge.token.id, edge.code(999), edge.code(1000))).status).toBe(200);
      expect((await tokenState(t, edge.token.id)).row.counter).toBe(1001);
      const beyond = await hotpHolder();
      const reply = await expectRefused(t, beyond.token.id, () => reset(beyond.token.id, beyond.code(1000), beyond.code(1001)),
        { status: 422, code: 'RESET_FAILED', action: 'reset' });
      expect(reply.body.detail).toMatch(/not found/);
      // The window starts at the stored counter, not at zero.
      expect((await reset(edge.token.id, edge.code(1990), edge.code(1991))).status).toBe(200);
    });

    it('hotp: the two OTPs in the wrong order fail with a message about the order, changing nothing', async () => {
      const { token, code } = await hotpHolder();
      const reply = await expectRefused(t, token.id, () => reset(token.id, code(41), code(40)),
        { status: 422, code: 'RESET_FAILED', action: 'reset' });
      expect(reply.body.detail).toMatch(/wrong order/);
      expect(reply.body.detail).not.toMatch(/not found/);
    });

    it('hotp: two OTPs that are not consecutive, or not of this token, fail and say which', async () => {
      const { token, code } = await hotpHolder();
      const apart = await expectRefused(t, token.id, () => reset(token.id, code(40), code(42)),
        { status: 422, code: 'RESET_FAILED', action: 'reset' });
      expect(apart.body.detail).toMatch(/not consecutive/);
      const avoid = Array.from({ length: 1002 }, (_, i) => code(i));
      const first = wrongCode(avoid);
      const foreign = await expectRefused(t, token.id, () => reset(token.id, first, wrongCode([...avoid, first])),
        { status: 422, code: 'RESET_FAILED', action: 'reset' });
      expect(foreign.body.detail).toMatch(/not found/);
    });

    it('hotp: 8 digits and SHA-256 resync the same way', async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{ digits: 8, algorithm: 'SHA256' }]);
      const { token, code } = tokens[0]!;
      expect(code(0)).toHaveLength(8);
      // OTPs of the wrong length are told apart from OTPs not found.
      const short = await expectRefused(t, token.id, () => reset(token.id, code(300).slice(2), code(301).slice(2)),
        { status: 422, code: 'RESET_FAILED', action: 'reset' });
      expect(short.body.detail).toMatch(/OTPs of 8 digits/);
      expect((await reset(token.id, code(300), code(301))).status).toBe(200);
      expect(await verify(user, code(302))).toMatchObject({ accepted: true });
    });

    const totpHolder = async (): Promise<{ user: any } & OtpToken> => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{ type: 'totp' }]);
      return { user, ...tokens[0]! };
    };

    it('totp: a token whose clock runs 200 steps ahead is re-aligned: drift 200, the step used, later OTPs verify', async () => {
      const { user, token, code } = await totpHolder();
      const now = stepOf(t.clock.now());
      expect(await verify(user, code(now + 200))).toEqual({ accepted: false, reason: 'rejected' });
      // Generated one after the other on the token: its steps now+199 and now+200.
      const reply = await reset(token.id, code(now + 199), code(now + 200));
      expect(reply.status, reply.text).toBe(200);
      const { row } = await tokenState(t, token.id);
      expect({ drift: row.drift, lastStep: Number(row.last_step) }).toEqual({ drift: 200, lastStep: now + 200 });
      expect(await verify(user, code(now + 200))).toEqual({ accepted: false, reason: 'rejected' });
      t.clock.advance(30_000);
      expect(await verify(user, code(now + 201))).toEqual({ accepted: true, tokenId: token.id, serial: token.serial });
    });

    it('totp: a token 100 steps behind gets a negative drift', async () => {
      const { user, token, code } = await totpHolder();
      const now = stepOf(t.clock.now());
      expect((await reset(token.id, code(now - 101), code(now - 100))).status).toBe(200);
      expect((await tokenState(t, token.id)).row.drift).toBe(-100);
      t.clock.advance(30_000);
      expect(await verify(user, code(now - 99))).toMatchObject({ accepted: true });
    });

    it('totp: steps beyond the sync window (±2880) are not found; the wrong order is named', async () => {
      const { token, code } = await totpHolder();
      const now = stepOf(t.clock.now());
      const far = await expectRefused(t, token.id, () => reset(token.id, code(now + 2900), code(now + 2901)),
        { status: 422, code: 'RESET_FAILED', action: 'reset' });
      expect(far.body.detail).toMatch(/not found/);
      const swapped = await expectRefused(t, token.id, () => reset(token.id, code(now + 6), code(now + 5)),
        { status: 422, code: 'RESET_FAILED', action: 'reset' });
      expect(swapped.body.detail).toMatch(/wrong order/);
    });

    it('totp: the sync window is ± 2880 steps around now, both ends included', async () => {
      const now = stepOf(t.clock.now());
      for (const [s, ok] of [[now + 2880, true], [now + 2881, false], [now - 2880, true], [now - 2881, false]] as const) {
        const { token, code } = await totpHolder();
        const reply = await reset(token.id, code(s), code(s + 1));
        expect(reply.status, `s = now ${s - now >= 0 ? '+' : ''}${s - now}: ${reply.text}`).toBe(ok ? 200 : 422);
        if (ok) expect((await tokenState(t, token.id)).row.drift).toBe(s + 1 - now);
      }
    });

    it('a disabled token can be reset, and verifies once enabled', async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}, {}]);
      const { token, code } = tokens[0]!;
      expect((await t.admin.post(tokenUrl(t, token.id, 'disable'))).status).toBe(200);
      const reply = await reset(token.id, code(70), code(71));
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.status).toBe('disabled');
      expect((await t.admin.post(tokenUrl(t, token.id, 'enable'))).status).toBe(200);
      expect(await verify(user, code(72))).toMatchObject({ accepted: true, tokenId: token.id });
    });

    it('totp: OTPs already used cannot resync the token back in time (which would let used OTPs verify again)', async () => {
      const { user, token, code } = await totpHolder();
      const now = stepOf(t.clock.now());
      expect(await verify(user, code(now))).toMatchObject({ accepted: true });
      t.clock.advance(30_000);
      expect(await verify(user, code(now + 1))).toMatchObject({ accepted: true });
      const reply = await expectRefused(t, token.id, () => reset(token.id, code(now - 1), code(now)),
        { status: 422, code: 'RESET_FAILED', action: 'reset' });
      expect(reply.body.detail).toMatch(/already used/);
      expect(await verify(user, code(now + 1))).toEqual({ accepted: false, reason: 'rejected' });
      // Two new OTPs do resync it.
      expect((await reset(token.id, code(now + 2), code(now + 3))).status).toBe(200);
    });

    it('yubico: RESET_NOT_SUPPORTED, and the token says so in its capabilities', async () => {
      const token = await addYubicoToken(t.admin, t.tenant, newYubiKeyIdentity());
      expect(token.capabilities).toEqual({ reset: false });
      await expectRefused(t, token.id, () => reset(token.id, '123456', '234567'),
        { status: 409, code: 'RESET_NOT_SUPPORTED', action: 'reset' });
      const hotp = await addToken(t.admin, t.tenant, {});
      expect(hotp.capabilities).toEqual({ reset: true });
    });

    it('an unknown token answers 404', async () => {
      expectProblem(await reset('00000000-0000-4000-8000-00000000abcd', '123456', '234567'), 404, 'NOT_FOUND');
    });

    const lockOut = async (user: { username: string }, code: (n: number) => string) => {
      const wrong = wrongCode(Array.from({ length: 30 }, (_, i) => code(i)));
      for (let i = 0; i < 10; i++) expect(await verify(user, wrong)).toEqual({ accepted: false, reason: 'rejected' });
      expect(await verify(user, code(0))).toEqual({ accepted: false, reason: 'locked' });
    };

    it('reset clears the failure count and the lock', async () => {
      const { user, token, code } = await hotpHolder();
      await lockOut(user, code);
      expect((await tokenState(t, token.id)).json).toMatchObject({ locked: true, failCount: 10 });
      const reply = await reset(token.id, code(5), code(6));
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ locked: false, failCount: 0, lockedUntil: null });
      expect(await verify(user, code(7))).toMatchObject({ accepted: true });
    });

    it('unlock clears the lock and the count, and is audited', async () => {
      const { user, token, code } = await hotpHolder();
      await lockOut(user, code);
      const reply = await t.admin.post(tokenUrl(t, token.id, 'unlock'));
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ locked: false, failCount: 0, lockedUntil: null, status: 'active' });
      await expectAuditedSuccess(t, token.id, 'unlock');
      expect(await verify(user, code(0))).toEqual({ accepted: true, tokenId: token.id, serial: token.serial });
    });
  });
}
