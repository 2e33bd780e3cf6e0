// SPEC §1 isolation: another tenant's tokens, users, audit and keys answer 404 (never 403), so nothing can be probed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { expectProblem } from '../helpers/api-checks.js';
import { addOtpToken, holderOf, type OtpToken } from '../helpers/otp-codes.js';
import { HttpClient } from '../helpers/http-client.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

for (const dialect of DIALECTS) {
  describe(`tenant isolation (${dialect})`, () => {
    let t: TestApp;
    let theirs: { user: any; token: OtpToken; apiKeyId: string };
    let acmeAdmin: HttpClient;
    const OTHER = '/api/v1/tenants/other';
    const ACME = '/api/v1/tenants/acme';

    beforeAll(async () => {
      t = await startTestApp(dialect);
      const created = await t.admin.post('/api/v1/tenants', { slug: 'other', name: 'Other Corp' });
      expect(created.status, created.text).toBe(201);
      const { user, tokens } = await holderOf(t.admin, 'other', [{}]);
      const key = await t.admin.post(`${OTHER}/api-keys`, { name: 'other-login', role: 'verifier' });
      theirs = { user, token: tokens[0]!, apiKeyId: key.body.id };
      acmeAdmin = await t.operator('tenant-admin');
    });
    afterAll(async () => { await t?.close(); });

    const tokenOfTheirs = () => theirs.token.token.id as string;
    const snapshot = async () => (await t.admin.get(`${OTHER}/hw-tokens/${tokenOfTheirs()}`)).body;

    it("an acme operator gets 404 for every path of the other tenant, also where it would lack the privilege", async () => {
      const before = await snapshot();
      const viewer = await t.operator('viewer');
      for (const client of [acmeAdmin, viewer]) {
        for (const reply of [
          await client.get(`${OTHER}/hw-tokens`),
          await client.get(`${OTHER}/hw-tokens/${tokenOfTheirs()}`),
          await client.get(`${OTHER}/hw-tokens/${tokenOfTheirs()}/history`),
          await client.get(`${OTHER}/users/${theirs.user.id}`),
          await client.get(`${OTHER}/audit`),
          await client.get(`${OTHER}/settings`),
          await client.post(`${OTHER}/hw-tokens/${tokenOfTheirs()}/disable`),
          await client.post(`${OTHER}/hw-tokens/${tokenOfTheirs()}/compromise`, { reason: 'probe' }),
          await client.delete(`${OTHER}/api-keys/${theirs.apiKeyId}`),
        ]) expectProblem(reply, 404, 'NOT_FOUND');
      }
      expect(await snapshot()).toEqual(before);
    });

    it('answers a tenant that does not exist exactly like one that does', async () => {
      const real = await acmeAdmin.get(`${OTHER}/hw-tokens`);
      const none = await acmeAdmin.get('/api/v1/tenants/no-such-tenant/hw-tokens');
      expect({ ...real.body }).toEqual({ ...none.body });
    });

    it("the other tenant's objects do not exist under acme's path either", async () => {
      const before = await snapshot();
      for (const reply of [
        await acmeAdmin.get(`${ACME}/hw-tokens/${tokenOfTheirs()}`),
        await acmeAdmin.get(`${ACME}/hw-tokens/${tokenOfTheirs()}/history`),
        await acmeAdmin.post(`${ACME}/hw-tokens/${tokenOfTheirs()}/disable`),
        await acmeAdmin.post(`${ACME}/hw-tokens/${tokenOfTheirs()}/unassign`),
        await acmeAdmin.post(`${ACME}/hw-tokens/${tokenOfTheirs()}/compromise`, { reason: 'probe' }),
        await acmeAdmin.post(`${ACME}/hw-tokens/${tokenOfTheirs()}/reset`, { otp1: '123456', otp2: '234567' }),
        await acmeAdmin.get(`${ACME}/users/${theirs.user.id}`),
        await acmeAdmin.get(`${ACME}/users/${theirs.user.username}`),
        await acmeAdmin.delete(`${ACME}/api-keys/${theirs.apiKeyId}`),
      ]) expectProblem(reply, 404, 'NOT_FOUND');
      expect(await snapshot()).toEqual(before);
      const audit = await acmeAdmin.get(`${ACME}/audit?token=${tokenOfTheirs()}`);
      expect(audit.status).toBe(200);
      expect(audit.body.items).toEqual([]);
      const bySerial = await acmeAdmin.get(`${ACME}/hw-tokens?serial=${theirs.token.token.serial}`);
      expect(bySerial.body).toMatchObject({ items: [], total: 0 });
    });

    it("acme cannot assign its token to the other tenant's user", async () => {
      const mine = await addOtpToken(t.admin, 'acme');
      const reply = await acmeAdmin.post(`${ACME}/hw-tokens/${mine.token.id}/assign`, { userId: theirs.user.id });
      expectProblem(reply, 404, 'NOT_FOUND');
      expect((await acmeAdmin.get(`${ACME}/hw-tokens/${mine.token.id}`)).body.holder).toBeNull();
    });

    it("acme's verifier cannot verify the other tenant's user, and has no other tenant", async () => {
      const verifier = await t.apiKey('verifier');
      const byId = await verifier.post(`${ACME}/verify`, { userId: theirs.user.id, otp: theirs.token.code(0) });
      expect(byId.body).toEqual({ accepted: false, reason: 'no_active_token' });
      expectProblem(await verifier.post(`${OTHER}/verify`, { username: theirs.user.username, otp: theirs.token.code(0) }), 404, 'NOT_FOUND');
      // The OTP was not used up: the other tenant's own key still accepts it.
      const created = await t.admin.post(`${OTHER}/api-keys`, { name: 'other-login-2', role: 'verifier' });
      const own = new HttpClient(t.app, created.body.secret);
      expect((await own.post(`${OTHER}/verify`, { username: theirs.user.username, otp: theirs.token.code(0) })).body)
        .toMatchObject({ accepted: true, tokenId: tokenOfTheirs() });
    });

    it("refuses a slug shaped like a tenant id: a URL would name two tenants", async () => {
      const acmeId = (await t.admin.get('/api/v1/tenants')).body.find((x: { slug: string }) => x.slug === 'acme').id as string;
      expectProblem(await t.admin.post('/api/v1/tenants', { slug: acmeId, name: 'Impostor' }), 400, 'VALIDATION_FAILED');
      expect((await t.admin.get(`/api/v1/tenants/${acmeId}/hw-tokens/stats`)).status).toBe(200);
      expect((await t.admin.get('/api/v1/tenants')).body.map((x: { name: string }) => x.name)).not.toContain('Impostor');
    });

    it('lists only the tenants an operator or a key belongs to', async () => {
      const mine = await acmeAdmin.get('/api/v1/tenants');
      expect(mine.body.map((x: { slug: string }) => x.slug)).toEqual(['acme']);
      const key = await t.apiKey('viewer');
      expect((await key.get('/api/v1/tenants')).body.map((x: { slug: string }) => x.slug)).toEqual(['acme']);
      const all = await t.admin.get('/api/v1/tenants');
      expect(all.body.map((x: { slug: string }) => x.slug).sort()).toEqual(['acme', 'other']);
      const operators = await acmeAdmin.get('/api/v1/operators');
      for (const operator of operators.body) for (const role of operator.roles) expect(role.tenant).not.toBe('other');
    });

    it("a tenant-admin cannot grant roles in, or see operators only of, another tenant", async () => {
      const outsider = await t.admin.post('/api/v1/operators', { username: 'other-only', password: 'other-password-2026', roles: [{ tenant: 'other', role: 'viewer' }] });
      expect(outsider.status, outsider.text).toBe(201);
      expectProblem(await acmeAdmin.put(`/api/v1/operators/${outsider.body.id}/roles`, { roles: [{ tenant: 'acme', role: 'viewer' }] }), 404, 'NOT_FOUND');
      const grant = await acmeAdmin.post('/api/v1/operators', { username: 'sneaky-op', password: 'sneaky-password-2026', roles: [{ tenant: 'other', role: 'tenant-admin' }] });
      expectProblem(grant, 404, 'NOT_FOUND');
      const listed = await t.admin.get('/api/v1/operators');
      expect(listed.body.map((o: { username: string }) => o.username)).not.toContain('sneaky-op');
      // Nor create one it could not see afterwards.
      expectProblem(await acmeAdmin.post('/api/v1/operators', { username: 'roleless-op', password: 'roleless-password-2026' }), 400, 'VALIDATION_FAILED');
    });

    it("records each grant and change of roles in the audit trail of the tenant it concerns, and only there", async () => {
      const latest = async (tenant: string) => (await t.admin.get(`/api/v1/tenants/${tenant}/audit?limit=1`)).body.items[0];
      const created = await t.admin.post('/api/v1/operators', {
        username: 'op-both', password: 'both-password-2026', roles: [{ tenant: 'acme', role: 'helpdesk' }, { tenant: 'other', role: 'viewer' }],
      });
      expect(created.status, created.text).toBe(201);
      expect(await latest('acme')).toMatchObject({ action: 'operator.create', actor: 'admin', outcome: 'success', detail: 'operator op-both: roles none → helpdesk' });
      const otherBefore = await latest('other');
      expect(otherBefore).toMatchObject({ action: 'operator.create', detail: 'operator op-both: roles none → viewer' });
      const changed = await acmeAdmin.put(`/api/v1/operators/${created.body.id}/roles`, { roles: [{ tenant: 'acme', role: 'security-officer' }] });
      expect(changed.status, changed.text).toBe(200);
      expect(await latest('acme')).toMatchObject({ action: 'operator.roles', detail: 'operator op-both: roles helpdesk → security-officer' });
      expect(await latest('other')).toEqual(otherBefore);
    });
  });
}
