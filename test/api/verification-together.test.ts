// Verifications that arrive together (their look-ups of API key
// and user share one statement each): each gets the answer it would get alone,
// whoever else asked in the same moment, in its own tenant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addUser } from '../helpers/factories.js';
import { HttpClient } from '../helpers/http-client.js';
import { addOtpToken, holderOf, wrongCode } from '../helpers/otp-codes.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

for (const dialect of DIALECTS) {
  describe(`verifications arriving together (${dialect})`, () => {
    let t: TestApp;
    let verifier: HttpClient;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      verifier = await t.apiKey('verifier');
    });
    afterAll(async () => { await t?.close(); });

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
