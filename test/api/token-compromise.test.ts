// SPEC §3 compromise is terminal: reason required, key material destroyed, holder released but kept for the record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addToken, addUser } from '../helpers/factories.js';
import { expectAuditedSuccess, expectProblem, expectRefused, tokenState, tokenUrl } from '../helpers/api-checks.js';
import { holderOf } from '../helpers/otp-codes.js';
import type { HttpClient } from '../helpers/http-client.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

for (const dialect of DIALECTS) {
  describe(`token lifecycle: compromise (${dialect})`, () => {
    let t: TestApp;
    let verifier: HttpClient;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      verifier = await t.apiKey('verifier');
    });
    afterAll(async () => { await t?.close(); });

    const compromise = (id: string, body: unknown) => t.admin.post(tokenUrl(t, id, 'compromise'), body);

    it('refuses a missing, empty, blank or 501-character reason with VALIDATION_FAILED, changing nothing', async () => {
      const { tokens } = await holderOf(t.admin, t.tenant, [{}]);
      const id = tokens[0]!.token.id;
      const before = await tokenState(t, id);
      for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(501) }, { reason: 42 }, undefined]) {
        expectProblem(await compromise(id, body), 400, 'VALIDATION_FAILED');
      }
      expect(await tokenState(t, id)).toEqual(before);
    });

    it('accepts a reason of exactly 500 characters, counted as characters and not UTF-16 units', async () => {
      for (const reason of ['r'.repeat(500), '🚆'.repeat(500)]) {
        const token = await addToken(t.admin, t.tenant, {});
        const reply = await compromise(token.id, { reason });
        expect(reply.status, reply.text).toBe(200);
        expect(reply.body.compromiseReason).toBe(reason);
      }
      const token = await addToken(t.admin, t.tenant, {});
      expectProblem(await compromise(token.id, { reason: '🚆'.repeat(501) }), 400, 'VALIDATION_FAILED');
    });

    it('keeps a unicode reason as written, and who and when', async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}]);
      const id = tokens[0]!.token.id;
      const reason = 'Gestohlen im Zug nach Zürich — 東京で紛失 🚆';
      t.clock.advance(60_000);
      const reply = await compromise(id, { reason });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({
        status: 'compromised', compromiseReason: reason, compromisedBy: 'admin',
        compromisedAt: new Date(t.clock.now()).toISOString(),
        holder: null, formerHolder: { id: user.id, username: user.username }, assignedAt: null,
      });
      const event = await expectAuditedSuccess(t, id, 'compromise');
      expect(event).toMatchObject({ reason, userId: user.id, username: user.username });
      // It stays in the list for the record, and in the user's detail as a former token.
      const list = await t.admin.get(`/api/v1/tenants/${t.tenant}/hw-tokens?status=compromised&serial=${tokens[0]!.token.serial}`);
      expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
      const detail = await t.admin.get(`/api/v1/tenants/${t.tenant}/users/${user.id}`);
      expect(detail.body).toMatchObject({ activeTokens: 0, tokenCount: 0 });
      expect(detail.body.tokens).toEqual([expect.objectContaining({ id, holder: null, formerHolder: expect.objectContaining({ id: user.id }) })]);
    });

    it('destroys the key material (deleted, not flagged)', async () => {
      const token = await addToken(t.admin, t.tenant, {});
      const before = await tokenState(t, token.id);
      expect(before.row.secret_enc).toBeTruthy();
      await compromise(token.id, { reason: 'lost' });
      const after = await tokenState(t, token.id);
      expect(after.row.secret_enc).toBeNull();
      expect(after.row.key_id).toBeNull();
    });

    it("is never blocked by the last-active rule: a user's only active token, or a disabled one", async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}, {}]);
      const [a, b] = tokens.map((x) => x.token.id as string);
      expect((await t.admin.post(tokenUrl(t, a!, 'disable'))).status).toBe(200);
      expect((await compromise(b!, { reason: 'stolen' })).status).toBe(200);
      expect((await compromise(a!, { reason: 'stolen too' })).status).toBe(200);
      const detail = await t.admin.get(`/api/v1/tenants/${t.tenant}/users/${user.id}`);
      expect(detail.body.tokens.map((x: { status: string }) => x.status)).toEqual(['compromised', 'compromised']);
    });

    it('is terminal: compromise, enable, disable, assign, unassign, reset and unlock are refused, and it never verifies', async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}, {}]);
      const stolen = tokens[0]!;
      const id = stolen.token.id;
      expect((await compromise(id, { reason: 'stolen' })).status).toBe(200);
      const refusals: [string, unknown, number, string][] = [
        ['compromise', { reason: 'again' }, 409, 'TOKEN_COMPROMISED'],
        ['enable', undefined, 409, 'INVALID_STATE'],
        ['disable', undefined, 409, 'INVALID_STATE'],
        ['assign', { userId: user.id }, 409, 'TOKEN_COMPROMISED'],
        ['unassign', undefined, 409, 'NOT_ASSIGNED'],
        ['reset', { otp1: stolen.code(0), otp2: stolen.code(1) }, 409, 'TOKEN_COMPROMISED'],
        ['unlock', undefined, 409, 'TOKEN_COMPROMISED'],
      ];
      for (const [action, body, status, code] of refusals) {
        await expectRefused(t, id, () => t.admin.post(tokenUrl(t, id, action), body), { status, code, action });
      }
      const other = await addUser(t.admin, t.tenant);
      await expectRefused(t, id, () => t.admin.post(tokenUrl(t, id, 'assign'), { userId: other.id }),
        { status: 409, code: 'TOKEN_COMPROMISED', action: 'assign' });
      // The stolen token's next OTPs are worth nothing, by user and by serial.
      for (let counter = 0; counter < 3; counter++) {
        const reply = await verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username: user.username, otp: stolen.code(counter) });
        expect(reply.body).toEqual({ accepted: false, reason: 'rejected' });
      }
      const bySerial = await verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username: user.username, serial: stolen.token.serial, otp: stolen.code(3) });
      expect(bySerial.body).toEqual({ accepted: false, reason: 'no_active_token' });
      // The user's other token still works.
      const good = await verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username: user.username, otp: tokens[1]!.code(0) });
      expect(good.body).toEqual({ accepted: true, tokenId: tokens[1]!.token.id, serial: tokens[1]!.token.serial });
    });

    it('a holder with only a compromised token has no active token', async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}]);
      await compromise(tokens[0]!.token.id, { reason: 'stolen' });
      const reply = await verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username: user.username, otp: tokens[0]!.code(0) });
      expect(reply.body).toEqual({ accepted: false, reason: 'no_active_token' });
    });
  });
}
