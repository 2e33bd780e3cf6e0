// SPEC §3 assign / unassign: a token has at most one holder, possession can be proven with an OTP that is then used up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addToken, addUser } from '../helpers/factories.js';
import { auditOfToken, expectAuditedSuccess, expectProblem, expectRefused, tokenState, tokenUrl } from '../helpers/api-checks.js';
import { addOtpToken, holderOf, wrongCode } from '../helpers/otp-codes.js';
import type { HttpClient } from '../helpers/http-client.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

for (const dialect of DIALECTS) {
  describe(`token lifecycle: assign and unassign (${dialect})`, () => {
    let t: TestApp;
    let verifier: HttpClient;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      verifier = await t.apiKey('verifier');
    });
    afterAll(async () => { await t?.close(); });

    const verify = (username: string, otp: string) => verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username, otp });

    it('assigns a token in stock by userId, keeping its status, and audits it', async () => {
      const token = await addToken(t.admin, t.tenant, {});
      const user = await addUser(t.admin, t.tenant);
      t.clock.advance(1000);
      const reply = await t.admin.post(tokenUrl(t, token.id, 'assign'), { userId: user.id });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({
        status: 'active', holder: { id: user.id, username: user.username, displayName: user.displayName },
        assignedAt: new Date(t.clock.now()).toISOString(),
      });
      const event = await expectAuditedSuccess(t, token.id, 'assign');
      expect(event).toMatchObject({ userId: user.id, username: user.username, serial: token.serial });
    });

    it('assigns by username, and a disabled token in stock (the status stays disabled)', async () => {
      const token = await addToken(t.admin, t.tenant, {});
      expect((await t.admin.post(tokenUrl(t, token.id, 'disable'))).body.status).toBe('disabled');
      const user = await addUser(t.admin, t.tenant);
      const reply = await t.admin.post(tokenUrl(t, token.id, 'assign'), { username: user.username.toUpperCase() });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ status: 'disabled', holder: { id: user.id } });
    });

    it('refuses ALREADY_ASSIGNED, leaving the first holder', async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}]);
      const other = await addUser(t.admin, t.tenant);
      await expectRefused(t, tokens[0]!.token.id, () => t.admin.post(tokenUrl(t, tokens[0]!.token.id, 'assign'), { userId: other.id }),
        { status: 409, code: 'ALREADY_ASSIGNED', action: 'assign' });
      expect((await t.admin.get(tokenUrl(t, tokens[0]!.token.id))).body.holder.id).toBe(user.id);
      // The refusal names the user it was asked for, not the holder.
      expect((await auditOfToken(t, tokens[0]!.token.id))[0]).toMatchObject({ userId: other.id });
      await t.admin.post(tokenUrl(t, tokens[0]!.token.id, 'assign'), { username: 'Nobody-Here' });
      expect((await auditOfToken(t, tokens[0]!.token.id))[0]).toMatchObject({ outcome: 'refused', userId: null, username: 'Nobody-Here' });
    });

    it('refuses TOKEN_COMPROMISED', async () => {
      const token = await addToken(t.admin, t.tenant, {});
      await t.admin.post(tokenUrl(t, token.id, 'compromise'), { reason: 'lost' });
      const user = await addUser(t.admin, t.tenant);
      await expectRefused(t, token.id, () => t.admin.post(tokenUrl(t, token.id, 'assign'), { userId: user.id }),
        { status: 409, code: 'TOKEN_COMPROMISED', action: 'assign' });
    });

    it('refuses a user of nobody (404) and names no user at all (400)', async () => {
      const token = await addToken(t.admin, t.tenant, {});
      await expectRefused(t, token.id, () => t.admin.post(tokenUrl(t, token.id, 'assign'), { username: 'no-such-user' }),
        { status: 404, code: 'NOT_FOUND', action: 'assign' });
      expectProblem(await t.admin.post(tokenUrl(t, token.id, 'assign'), {}), 400, 'VALIDATION_FAILED');
      expect((await t.admin.get(tokenUrl(t, token.id))).body.holder).toBeNull();
    });

    it('refuses OTP_INVALID for a wrong proof of possession', async () => {
      const { token, code } = await addOtpToken(t.admin, t.tenant);
      const user = await addUser(t.admin, t.tenant);
      const wrong = wrongCode(Array.from({ length: 20 }, (_, i) => code(i)));
      const assign = (otp: string) => t.admin.post(tokenUrl(t, token.id, 'assign'), { userId: user.id, otp });
      // An OTP of the wrong length is no guess at this token: refused, not counted.
      expectProblem(await assign('12345678'), 422, 'OTP_INVALID');
      expect((await tokenState(t, token.id)).json.failCount).toBe(0);
      const refused = await assign(wrong);
      expectProblem(refused, 422, 'OTP_INVALID');
      expect((await auditOfToken(t, token.id))[0]).toMatchObject({ action: 'assign', outcome: 'refused', userId: user.id, username: user.username });
      // Counted as a failed verification: at the tenant's limit (10) the token locks and takes no proof, not even a right one.
      for (let i = 2; i <= 10; i++) expectProblem(await assign(wrong), 422, 'OTP_INVALID');
      const locked = (await tokenState(t, token.id)).json;
      expect(locked).toMatchObject({ holder: null, failCount: 10 });
      expect(Date.parse(locked.lockedUntil)).toBeGreaterThan(t.clock.now());
      const right = await assign(code(0));
      expectProblem(right, 422, 'OTP_INVALID');
      expect(right.body.detail).toMatch(/locked/);
      expect((await t.admin.post(tokenUrl(t, token.id, 'unlock'))).status).toBe(200);
      const proven = await assign(code(0));
      expect(proven.status, proven.text).toBe(200);
      expect(proven.body).toMatchObject({ holder: { id: user.id }, failCount: 0 });
    });

    it('accepts a right proof and uses it up: the same OTP cannot then verify, the next one can', async () => {
      const { token, code } = await addOtpToken(t.admin, t.tenant);
      const user = await addUser(t.admin, t.tenant);
      const reply = await t.admin.post(tokenUrl(t, token.id, 'assign'), { userId: user.id, otp: code(0) });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.holder.id).toBe(user.id);
      expect(reply.body.lastUsedAt).not.toBeNull();
      expect(await verify(user.username, code(0))).toMatchObject({ body: { accepted: false, reason: 'rejected' } });
      expect((await verify(user.username, code(1))).body).toEqual({ accepted: true, tokenId: token.id, serial: token.serial });
    });

    it('requires the proof when the tenant setting says so', async () => {
      const patched = await t.admin.patch(`/api/v1/tenants/${t.tenant}/settings`, { requireProofOnAssign: true });
      expect(patched.status, patched.text).toBe(200);
      expect(patched.body.requireProofOnAssign).toBe(true);
      try {
        const { token, code } = await addOtpToken(t.admin, t.tenant);
        const user = await addUser(t.admin, t.tenant);
        const refused = await expectRefused(t, token.id, () => t.admin.post(tokenUrl(t, token.id, 'assign'), { userId: user.id }),
          { status: 422, code: 'OTP_INVALID', action: 'assign' });
        expect(refused.body.detail).toMatch(/requires an OTP/);
        const proven = await t.admin.post(tokenUrl(t, token.id, 'assign'), { userId: user.id, otp: code(0) });
        expect(proven.status, proven.text).toBe(200);
      } finally {
        await t.admin.patch(`/api/v1/tenants/${t.tenant}/settings`, { requireProofOnAssign: false });
      }
      expect((await t.admin.get(`/api/v1/tenants/${t.tenant}/settings`)).body.requireProofOnAssign).toBe(false);
    });

    it('unassigns: holder none, status unchanged, even for the last active token', async () => {
      const { tokens } = await holderOf(t.admin, t.tenant, [{}]);
      const id = tokens[0]!.token.id;
      const reply = await t.admin.post(tokenUrl(t, id, 'unassign'));
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ status: 'active', holder: null, assignedAt: null });
      await expectAuditedSuccess(t, id, 'unassign');
      // Ready for a new assignment.
      const next = await addUser(t.admin, t.tenant);
      expect((await t.admin.post(tokenUrl(t, id, 'assign'), { userId: next.id })).status).toBe(200);
    });

    it('unassigns a disabled token, which stays disabled', async () => {
      const { tokens } = await holderOf(t.admin, t.tenant, [{}, {}]);
      const id = tokens[1]!.token.id;
      expect((await t.admin.post(tokenUrl(t, id, 'disable'))).status).toBe(200);
      const reply = await t.admin.post(tokenUrl(t, id, 'unassign'));
      expect(reply.body).toMatchObject({ status: 'disabled', holder: null });
    });

    it('refuses NOT_ASSIGNED for a token in stock and for a compromised one', async () => {
      const stock = await addToken(t.admin, t.tenant, {});
      await expectRefused(t, stock.id, () => t.admin.post(tokenUrl(t, stock.id, 'unassign')),
        { status: 409, code: 'NOT_ASSIGNED', action: 'unassign' });
      const { tokens } = await holderOf(t.admin, t.tenant, [{}]);
      const id = tokens[0]!.token.id;
      await t.admin.post(tokenUrl(t, id, 'compromise'), { reason: 'stolen' });
      await expectRefused(t, id, () => t.admin.post(tokenUrl(t, id, 'unassign')),
        { status: 409, code: 'NOT_ASSIGNED', action: 'unassign' });
    });

    it('answers 404 for an unknown token id and audits the attempt', async () => {
      const id = '00000000-0000-4000-8000-000000000000';
      for (const action of ['assign', 'unassign', 'disable', 'enable', 'unlock']) {
        const reply = await t.admin.post(tokenUrl(t, id, action), action === 'assign' ? { username: 'x' } : undefined);
        expectProblem(reply, 404, 'NOT_FOUND');
      }
      const audit = await t.admin.get(`/api/v1/tenants/${t.tenant}/audit?outcome=refused&limit=5`);
      expect(audit.body.items[0]).toMatchObject({ action: 'unlock', outcome: 'refused', detail: expect.stringContaining('NOT_FOUND') });
    });
  });
}
