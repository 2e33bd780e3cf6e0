// SPEC §3 disable / enable: only active → disabled → active, and a holder always keeps one active token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addToken } from '../helpers/factories.js';
import { expectAuditedSuccess, expectRefused, tokenUrl } from '../helpers/api-checks.js';
import { holderOf } from '../helpers/otp-codes.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

for (const dialect of DIALECTS) {
  describe(`token lifecycle: disable and enable (${dialect})`, () => {
    let t: TestApp;
    beforeAll(async () => { t = await startTestApp(dialect); });
    afterAll(async () => { await t?.close(); });

    const post = (id: string, action: string) => t.admin.post(tokenUrl(t, id, action));
    const userDetail = async (id: string) => (await t.admin.get(`/api/v1/tenants/${t.tenant}/users/${id}`)).body;

    it('disables a token in stock and enables it again, auditing both', async () => {
      const token = await addToken(t.admin, t.tenant, {});
      const disabled = await post(token.id, 'disable');
      expect(disabled.status, disabled.text).toBe(200);
      expect(disabled.body.status).toBe('disabled');
      await expectAuditedSuccess(t, token.id, 'disable');
      const enabled = await post(token.id, 'enable');
      expect(enabled.status, enabled.text).toBe(200);
      expect(enabled.body.status).toBe('active');
      await expectAuditedSuccess(t, token.id, 'enable');
    });

    it('disables one of two active tokens of a user; the token keeps its holder', async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}, {}]);
      const reply = await post(tokens[0]!.token.id, 'disable');
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ status: 'disabled', holder: { id: user.id } });
      expect(await userDetail(user.id)).toMatchObject({ activeTokens: 1, tokenCount: 2 });
    });

    it("refuses LAST_ACTIVE_TOKEN for a user's only token", async () => {
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}]);
      const id = tokens[0]!.token.id;
      const reply = await expectRefused(t, id, () => post(id, 'disable'), { status: 409, code: 'LAST_ACTIVE_TOKEN', action: 'disable' });
      expect(reply.body.detail).toMatch(/last active token/);
      expect(await userDetail(user.id)).toMatchObject({ activeTokens: 1 });
    });

    it('refuses LAST_ACTIVE_TOKEN when the other tokens of the user are disabled or compromised', async () => {
      const { tokens } = await holderOf(t.admin, t.tenant, [{}, {}, {}]);
      const [a, b, c] = tokens.map((x) => x.token.id as string);
      expect((await post(a!, 'disable')).status).toBe(200);
      expect((await t.admin.post(tokenUrl(t, b!, 'compromise'), { reason: 'lost on a train' })).status).toBe(200);
      await expectRefused(t, c!, () => post(c!, 'disable'), { status: 409, code: 'LAST_ACTIVE_TOKEN', action: 'disable' });
      // Enabling another one makes room again.
      expect((await post(a!, 'enable')).status).toBe(200);
      expect((await post(c!, 'disable')).status).toBe(200);
    });

    it('counts only the tokens of the same user as other active ones', async () => {
      const first = await holderOf(t.admin, t.tenant, [{}]);
      await holderOf(t.admin, t.tenant, [{}, {}]);
      await addToken(t.admin, t.tenant, {});
      const id = first.tokens[0]!.token.id;
      await expectRefused(t, id, () => post(id, 'disable'), { status: 409, code: 'LAST_ACTIVE_TOKEN', action: 'disable' });
    });

    it('refuses INVALID_STATE to disable a disabled or a compromised token', async () => {
      const token = await addToken(t.admin, t.tenant, {});
      await post(token.id, 'disable');
      const twice = await expectRefused(t, token.id, () => post(token.id, 'disable'), { status: 409, code: 'INVALID_STATE', action: 'disable' });
      expect(twice.body.detail).toMatch(/disabled/);
      const gone = await addToken(t.admin, t.tenant, {});
      await t.admin.post(tokenUrl(t, gone.id, 'compromise'), { reason: 'stolen' });
      await expectRefused(t, gone.id, () => post(gone.id, 'disable'), { status: 409, code: 'INVALID_STATE', action: 'disable' });
    });

    it('refuses INVALID_STATE to enable an active or a compromised token', async () => {
      const { tokens } = await holderOf(t.admin, t.tenant, [{}]);
      const id = tokens[0]!.token.id;
      await expectRefused(t, id, () => post(id, 'enable'), { status: 409, code: 'INVALID_STATE', action: 'enable' });
      const gone = await addToken(t.admin, t.tenant, {});
      await post(gone.id, 'disable');
      await t.admin.post(tokenUrl(t, gone.id, 'compromise'), { reason: 'broken casing, key exposed' });
      await expectRefused(t, gone.id, () => post(gone.id, 'enable'), { status: 409, code: 'INVALID_STATE', action: 'enable' });
    });

    it('accepts an empty JSON object as the body of an action, and refuses any field', async () => {
      const token = await addToken(t.admin, t.tenant, {});
      expect((await t.admin.post(tokenUrl(t, token.id, 'disable'), {})).status).toBe(200);
      const extra = await t.admin.post(tokenUrl(t, token.id, 'enable'), { force: true });
      expect(extra.status).toBe(400);
      expect((await t.admin.get(tokenUrl(t, token.id))).body.status).toBe('disabled');
    });
  });
}
