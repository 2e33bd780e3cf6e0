// SPEC §5 verification: only active tokens, HOTP look-ahead, TOTP window with replay floor and drift, and a terse answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addUser } from '../helpers/factories.js';
import { tokenState, tokenUrl } from '../helpers/api-checks.js';
import { addOtpToken, holderOf, stepOf, wrongCode, type OtpToken } from '../helpers/otp-codes.js';
import { HttpClient } from '../helpers/http-client.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const ACCEPTED_KEYS = ['accepted', 'serial', 'tokenId'];
const REFUSED_KEYS = ['accepted', 'reason'];

for (const dialect of DIALECTS) {
  describe(`verification (${dialect})`, () => {
    let t: TestApp;
    let verifier: HttpClient;
    beforeAll(async () => {
      t = await startTestApp(dialect, { now: Date.UTC(2026, 0, 15, 9, 0, 10) });
      verifier = await t.apiKey('verifier');
    });
    afterAll(async () => { await t?.close(); });

    const verify = async (body: Record<string, unknown>) => {
      const reply = await verifier.post(`/api/v1/tenants/${t.tenant}/verify`, body);
      expect(reply.status, reply.text).toBe(200);
      expect(Object.keys(reply.body).sort()).toEqual(reply.body.accepted ? ACCEPTED_KEYS : REFUSED_KEYS);
      return reply.body;
    };
    const accepted = (token: OtpToken) => ({ accepted: true, tokenId: token.token.id, serial: token.token.serial });
    const rejected = { accepted: false, reason: 'rejected' };
    const one = async (body: Record<string, unknown> = {}) => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [body]);
      return { user, token: tokens[0]! };
    };

    it('hotp: the 10 next OTPs are in the look-ahead window, the 11th is not', async () => {
      const near = await one();
      expect(await verify({ username: near.user.username, otp: near.token.code(9) })).toEqual(accepted(near.token));
      const far = await one();
      expect(await verify({ username: far.user.username, otp: far.token.code(10) })).toEqual(rejected);
      expect((await tokenState(t, far.token.token.id)).row.counter).toBe(0);
    });

    it('hotp: the counter moves past the match; earlier OTPs and the same one fail, the next succeeds', async () => {
      const { user, token } = await one();
      expect(await verify({ username: user.username, otp: token.code(3) })).toEqual(accepted(token));
      expect((await tokenState(t, token.token.id)).row.counter).toBe(4);
      for (const counter of [3, 2, 0]) expect(await verify({ username: user.username, otp: token.code(counter) })).toEqual(rejected);
      expect(await verify({ userId: user.id, otp: token.code(4) })).toEqual(accepted(token));
      expect(await verify({ userId: user.id, otp: token.code(13) })).toEqual(accepted(token));
    });

    it('hotp: a token that used the largest counter is spent: it rejects, and a reset finds nothing', async () => {
      const { user, token } = await one({ counter: Number.MAX_SAFE_INTEGER - 1 });
      expect(await verify({ username: user.username, otp: token.code(Number.MAX_SAFE_INTEGER) })).toEqual(accepted(token));
      expect(await verify({ username: user.username, otp: token.code(Number.MAX_SAFE_INTEGER) })).toEqual(rejected);
      const reset = await t.admin.post(tokenUrl(t, token.token.id, 'reset'), { otp1: token.code(0), otp2: token.code(1) });
      expect([reset.status, reset.body.code]).toEqual([422, 'RESET_FAILED']);
    });

    it('totp: the current step ± 1 is accepted, ± 2 is not', async () => {
      const now = stepOf(t.clock.now());
      for (const [offset, ok] of [[0, true], [1, true], [-1, true], [2, false], [-2, false]] as const) {
        const { user, token } = await one({ type: 'totp' });
        const answer = await verify({ username: user.username, otp: token.code(now + offset) });
        expect(answer, `offset ${offset}`).toEqual(ok ? accepted(token) : rejected);
      }
    });

    it('totp: follows the test clock across steps', async () => {
      const { user, token } = await one({ type: 'totp' });
      const start = stepOf(t.clock.now());
      t.clock.advance(5 * 30_000);
      expect(await verify({ username: user.username, otp: token.code(start) })).toEqual(rejected);
      expect(await verify({ username: user.username, otp: token.code(start + 5) })).toEqual(accepted(token));
    });

    it('totp: a replayed OTP is refused, and so is any earlier step', async () => {
      const { user, token } = await one({ type: 'totp' });
      const now = stepOf(t.clock.now());
      expect(await verify({ username: user.username, otp: token.code(now) })).toEqual(accepted(token));
      expect(await verify({ username: user.username, otp: token.code(now) })).toEqual(rejected);
      expect(await verify({ username: user.username, otp: token.code(now - 1) })).toEqual(rejected);
      expect(await verify({ username: user.username, otp: token.code(now + 1) })).toEqual(accepted(token));
    });

    it('totp: the drift follows a fast token one window at a time, never further', async () => {
      const { user, token } = await one({ type: 'totp' });
      const fresh = await one({ type: 'totp' });
      for (let ahead = 1; ahead <= 4; ahead++) {
        t.clock.advance(30_000);
        const now = stepOf(t.clock.now());
        expect(await verify({ username: user.username, otp: token.code(now + ahead) }), `${ahead} ahead`).toEqual(accepted(token));
      }
      expect((await tokenState(t, token.token.id)).row.drift).toBe(4);
      const now = stepOf(t.clock.now());
      // A token that never drifted is not accepted 4 steps ahead…
      expect(await verify({ username: fresh.user.username, otp: fresh.token.code(now + 4) })).toEqual(rejected);
      // …and the drifted one is not accepted 2 steps past its expected step.
      t.clock.advance(30_000);
      expect(await verify({ username: user.username, otp: token.code(now + 1 + 4 + 2) })).toEqual(rejected);
      expect(await verify({ username: user.username, otp: token.code(now + 1 + 4 + 1) })).toEqual(accepted(token));
    });

    it('a disabled token does not verify; a user left with only disabled tokens has no_active_token', async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}, {}]);
      const [a, b] = tokens as [OtpToken, OtpToken];
      expect((await t.admin.post(tokenUrl(t, a.token.id, 'disable'))).status).toBe(200);
      expect(await verify({ username: user.username, otp: a.code(0) })).toEqual(rejected);
      expect(await verify({ username: user.username, serial: a.token.serial, otp: a.code(0) })).toEqual({ accepted: false, reason: 'no_active_token' });
      expect((await t.admin.post(tokenUrl(t, b.token.id, 'compromise'), { reason: 'lost' })).status).toBe(200);
      expect(await verify({ username: user.username, otp: a.code(0) })).toEqual({ accepted: false, reason: 'no_active_token' });
      expect((await t.admin.post(tokenUrl(t, a.token.id, 'enable'))).status).toBe(200);
      expect(await verify({ username: user.username, otp: a.code(0) })).toEqual(accepted(a));
    });

    it('an unknown user, a user without tokens and an unassigned token all give no_active_token', async () => {
      const { token } = await one();
      expect(await verify({ username: 'nobody-at-all', otp: token.code(0) })).toEqual({ accepted: false, reason: 'no_active_token' });
      expect(await verify({ userId: '00000000-0000-4000-8000-000000000001', otp: token.code(0) })).toEqual({ accepted: false, reason: 'no_active_token' });
      const idle = await addUser(t.admin, t.tenant);
      expect(await verify({ username: idle.username, otp: token.code(0) })).toEqual({ accepted: false, reason: 'no_active_token' });
      // The token itself was never touched.
      expect((await tokenState(t, token.token.id)).json.failCount).toBe(0);
    });

    it('`serial` restricts the check to that token of the user', async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}, {}]);
      const [a, b] = tokens as [OtpToken, OtpToken];
      expect(await verify({ username: user.username, serial: b.token.serial, otp: a.code(0) })).toEqual(rejected);
      expect((await tokenState(t, a.token.id)).json.failCount).toBe(0);
      expect((await tokenState(t, b.token.id)).json.failCount).toBe(1);
      expect(await verify({ username: user.username, serial: a.token.serial.toLowerCase(), otp: a.code(0) })).toEqual(accepted(a));
      const stranger = await one();
      expect(await verify({ username: user.username, serial: stranger.token.token.serial, otp: stranger.token.code(0) }))
        .toEqual({ accepted: false, reason: 'no_active_token' });
    });

    it('with several tokens, the one whose OTP it is answers, and only its counter moves', async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}, { type: 'totp' }, {}]);
      const [a, b, c] = tokens as [OtpToken, OtpToken, OtpToken];
      expect(await verify({ username: user.username, otp: c.code(2) })).toEqual(accepted(c));
      expect(await verify({ username: user.username, otp: b.code(stepOf(t.clock.now())) })).toEqual(accepted(b));
      expect((await tokenState(t, a.token.id)).row.counter).toBe(0);
      expect((await tokenState(t, c.token.id)).row.counter).toBe(3);
    });

    it('records every verification in the audit trail with the detail the caller does not get', async () => {
      const { user, token } = await one();
      await verify({ username: user.username, otp: token.code(0) });
      await verify({ username: user.username, otp: token.code(0) });
      const audit = await t.admin.get(`/api/v1/tenants/${t.tenant}/audit?action=verify&user=${user.username}`);
      expect(audit.body.items.map((e: { outcome: string }) => e.outcome)).toEqual(['rejected', 'accepted']);
      expect(audit.body.items[1]).toMatchObject({ actor: expect.stringMatching(/^apikey:/), tokenId: token.token.id, userId: user.id });
    });

    // Requests that arrive together share their look-ups of API key and user
    // (BatchedRead): each still gets the answer it would get alone.
    it('answers each request for its own user, by name or id, once per OTP, and nothing for a stranger', async () => {
      const holders = await Promise.all(Array.from({ length: 8 }, () => holderOf(t.admin, t.tenant, [{}])));
      const bodies = [
        ...holders.map(({ user, tokens }, i) => (i % 2 === 0 ? { username: user.username.toUpperCase(), otp: tokens[0]!.code(0) } : { userId: user.id, otp: tokens[0]!.code(0) })),
        { username: holders[0]!.user.username, otp: holders[0]!.tokens[0]!.code(0) },
        { username: holders[1]!.user.username, otp: wrongCode([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((c) => holders[1]!.tokens[0]!.code(c))) },
        { username: 'nobody-here', otp: '123456' },
      ];
      const replies = await Promise.all(bodies.map((body) => verifier.post(`/api/v1/tenants/${t.tenant}/verify`, body)));
      const answers = replies.map((reply) => reply.body);
      expect(answers.slice(0, 8)).toEqual(holders.map(({ tokens }) => ({ accepted: true, tokenId: tokens[0]!.token.id, serial: tokens[0]!.token.serial })));
      expect(answers[8]).toEqual({ accepted: false, reason: 'rejected' });
      expect(answers[9]).toEqual({ accepted: false, reason: 'rejected' });
      expect(answers[10]).toEqual({ accepted: false, reason: 'no_active_token' });
    });

    it('keeps tenants apart: the same username in two tenants, asked together through each tenant\'s key', async () => {
      expect((await t.admin.post('/api/v1/tenants', { slug: 'other', name: 'Other Bank' })).status).toBe(201);
      const otherKey = await t.admin.post('/api/v1/tenants/other/api-keys', { name: 'other-verifier', role: 'verifier' });
      const otherVerifier = new HttpClient(t.app, otherKey.body.secret);
      const holders = await Promise.all(['acme', 'other'].map(async (tenant) => {
        const user = await addUser(t.admin, tenant, 'shared-name');
        const token = await addOtpToken(t.admin, tenant);
        expect((await t.admin.post(`/api/v1/tenants/${tenant}/hw-tokens/${token.token.id}/assign`, { userId: user.id })).status).toBe(200);
        return token;
      }));
      const [mine, theirs] = holders as [typeof holders[0], typeof holders[0]];
      const replies = await Promise.all([
        verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username: 'shared-name', otp: theirs.code(0) }),
        otherVerifier.post('/api/v1/tenants/other/verify', { username: 'shared-name', otp: mine.code(1) }),
        verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username: 'shared-name', otp: mine.code(0) }),
        otherVerifier.post('/api/v1/tenants/other/verify', { username: 'shared-name', otp: theirs.code(1) }),
      ]);
      expect(replies.map((reply) => reply.body.accepted)).toEqual([false, false, true, true]);
      expect(replies[2]!.body.tokenId).toBe(mine.token.id);
      expect(replies[3]!.body.tokenId).toBe(theirs.token.id);
    });
  });
}
