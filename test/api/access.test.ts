// SPEC §6 roles: every role, as an operator or as an API key, gets exactly its privileges and is refused the rest with 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addUser } from '../helpers/factories.js';
import { auditOfToken, expectProblem, tokenState, tokenUrl } from '../helpers/api-checks.js';
import { holderOf } from '../helpers/otp-codes.js';
import type { HttpClient, Reply } from '../helpers/http-client.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Privilege = 'hwtoken:read' | 'user:read' | 'hwtoken:assign' | 'hwtoken:unassign' | 'hwtoken:disable' | 'hwtoken:reset'
  | 'hwtoken:compromise' | 'hwtoken:import' | 'user:write' | 'audit:read' | 'tenant:admin' | 'otp:verify';
type Role = 'viewer' | 'helpdesk' | 'security-officer' | 'token-admin' | 'auditor' | 'tenant-admin' | 'verifier';

// Written out from SPEC §6, not imported from the code under test.
const VIEWER: Privilege[] = ['hwtoken:read', 'user:read'];
const HELPDESK: Privilege[] = [...VIEWER, 'hwtoken:assign', 'hwtoken:unassign', 'hwtoken:disable', 'hwtoken:reset'];
const SECURITY_OFFICER: Privilege[] = [...HELPDESK, 'hwtoken:compromise', 'audit:read'];
const TOKEN_ADMIN: Privilege[] = [...SECURITY_OFFICER, 'hwtoken:import', 'user:write'];
const EXPECTED: Record<Role, Privilege[]> = {
  viewer: VIEWER,
  helpdesk: HELPDESK,
  'security-officer': SECURITY_OFFICER,
  'token-admin': TOKEN_ADMIN,
  auditor: [...VIEWER, 'audit:read'],
  'tenant-admin': [...TOKEN_ADMIN, 'tenant:admin', 'otp:verify'],
  verifier: ['otp:verify'],
};
const UNKNOWN = '00000000-0000-4000-8000-00000000beef';

/**
 * One request per privilege, chosen to change nothing: allowed, it answers
 * anything but 403 (often 404 for an unknown token); refused, 403 FORBIDDEN.
 */
const probes = (tenant: string): Record<Privilege, (c: HttpClient) => Promise<Reply>[]> => {
  const base = `/api/v1/tenants/${tenant}`;
  const act = (c: HttpClient, action: string, body?: unknown) => c.post(`${base}/hw-tokens/${UNKNOWN}/${action}`, body);
  return {
    'hwtoken:read': (c) => [c.get(`${base}/hw-tokens`), c.get(`${base}/hw-tokens/stats`), c.get(`${base}/hw-tokens.csv`), c.get(`${base}/hw-tokens/${UNKNOWN}`)],
    'user:read': (c) => [c.get(`${base}/users`), c.get(`${base}/users/nobody`)],
    'hwtoken:assign': (c) => [act(c, 'assign', { username: 'nobody' })],
    'hwtoken:unassign': (c) => [act(c, 'unassign')],
    'hwtoken:disable': (c) => [act(c, 'disable'), act(c, 'enable')],
    'hwtoken:reset': (c) => [act(c, 'reset', { otp1: '123456', otp2: '234567' }), act(c, 'unlock')],
    'hwtoken:compromise': (c) => [act(c, 'compromise', { reason: 'probe' })],
    'hwtoken:import': (c) => [c.post(`${base}/hw-tokens`, { serial: 'PROBE-1', type: 'hotp', secretHex: '00' })],
    'user:write': (c) => [c.post(`${base}/users`, { username: 'probe-existing' })],
    'audit:read': (c) => [c.get(`${base}/audit`), c.get(`${base}/audit/verify`)],
    'tenant:admin': (c) => [c.get(`${base}/settings`), c.get(`${base}/api-keys`), c.patch(`${base}/settings`, {})],
    'otp:verify': (c) => [c.post(`${base}/verify`, { username: 'nobody', otp: '123456' })],
  };
};

for (const dialect of DIALECTS) {
  describe(`access by role (${dialect})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      await addUser(t.admin, t.tenant, 'probe-existing');
    });
    afterAll(async () => { await t?.close(); });

    const privilegesOf = async (client: HttpClient): Promise<Privilege[]> => {
      const granted: Privilege[] = [];
      for (const [privilege, probe] of Object.entries(probes(t.tenant)) as [Privilege, (c: HttpClient) => Promise<Reply>[]][]) {
        const replies = [];
        for (const request of probe(client)) replies.push(await request);
        const forbidden = replies.map((r) => r.status === 403);
        expect(new Set(forbidden).size, `${privilege}: ${replies.map((r) => r.status).join(', ')}`).toBe(1);
        if (forbidden[0]) for (const reply of replies) expectProblem(reply, 403, 'FORBIDDEN');
        else {
          for (const reply of replies) expect(reply.status, `${privilege}: ${reply.text}`).toBeLessThan(500);
          for (const reply of replies) expect(reply.status, `${privilege}: ${reply.text}`).not.toBe(401);
          granted.push(privilege);
        }
      }
      return granted.sort();
    };

    for (const role of Object.keys(EXPECTED) as Role[]) {
      it(`${role}: an operator holds exactly ${EXPECTED[role].join(', ')}`, async () => {
        const client = await t.operator(role);
        expect(await privilegesOf(client)).toEqual([...EXPECTED[role]].sort());
        const me = await client.get('/api/v1/auth/me');
        expect([...me.body.tenants[0].privileges].sort()).toEqual([...EXPECTED[role]].sort());
      });

      it(`${role}: an API key holds exactly the same`, async () => {
        expect(await privilegesOf(await t.apiKey(role))).toEqual([...EXPECTED[role]].sort());
      });
    }

    it('a viewer cannot disable and a helpdesk cannot compromise: 403, the token unchanged', async () => {
      const { tokens } = await holderOf(t.admin, t.tenant, [{}, {}]);
      const id = tokens[0]!.token.id;
      const before = await tokenState(t, id);
      const viewer = await t.operator('viewer', 'viewer-vera');
      expectProblem(await viewer.post(tokenUrl(t, id, 'disable')), 403, 'FORBIDDEN');
      const helpdesk = await t.operator('helpdesk', 'helpdesk-hal');
      expectProblem(await helpdesk.post(tokenUrl(t, id, 'compromise'), { reason: 'not mine to say' }), 403, 'FORBIDDEN');
      expect(await tokenState(t, id)).toEqual(before);
      // Both attempts are in the token's history, refused, with who tried.
      const [compromise, disable] = await auditOfToken(t, id);
      expect(compromise).toMatchObject({ action: 'compromise', outcome: 'refused', tokenId: id, actor: 'helpdesk-hal' });
      expect(compromise!.detail).toContain('FORBIDDEN');
      expect(disable).toMatchObject({ action: 'disable', outcome: 'refused', tokenId: id, actor: 'viewer-vera' });
      expect((await helpdesk.post(tokenUrl(t, id, 'disable'))).status).toBe(200);
    });

    it('a change refused for want of a privilege is audited; a refused read is not', async () => {
      const audit = async () => (await t.admin.get(`/api/v1/tenants/${t.tenant}/audit?limit=1`)).body.items[0];
      const verifier = await t.apiKey('verifier');
      expectProblem(await verifier.patch(`/api/v1/tenants/${t.tenant}/settings`, { maxFailures: 1000 }), 403, 'FORBIDDEN');
      const denied = await audit();
      expect(denied).toMatchObject({ action: 'access.denied', outcome: 'refused' });
      expect(denied.detail).toMatch(/^FORBIDDEN: PATCH \/api\/v1\/tenants\/:tenant\/settings: This needs the tenant:admin privilege/);
      expectProblem(await verifier.get(`/api/v1/tenants/${t.tenant}/audit`), 403, 'FORBIDDEN');
      expect(await audit()).toEqual(denied);
    });

    it('the actor of an action is the operator, or the API key by name', async () => {
      const { tokens } = await holderOf(t.admin, t.tenant, [{}, {}]);
      const helpdesk = await t.operator('helpdesk', 'hd-alice');
      expect((await helpdesk.post(tokenUrl(t, tokens[0]!.token.id, 'disable'))).status).toBe(200);
      const key = await t.apiKey('helpdesk');
      expect((await key.post(tokenUrl(t, tokens[0]!.token.id, 'enable'))).status).toBe(200);
      const audit = await t.admin.get(`/api/v1/tenants/${t.tenant}/audit?token=${tokens[0]!.token.id}&limit=2`);
      expect(audit.body.items.map((e: { actor: string }) => e.actor)).toEqual([expect.stringMatching(/^apikey:helpdesk-key-/), 'hd-alice']);
    });

    it('operators are managed by a superadmin or a tenant-admin, by no other role and by no API key', async () => {
      expect((await (await t.operator('tenant-admin')).get('/api/v1/operators')).status).toBe(200);
      for (const role of ['token-admin', 'security-officer', 'viewer'] as const) {
        expectProblem(await (await t.operator(role)).get('/api/v1/operators'), 403, 'FORBIDDEN');
      }
      expectProblem(await (await t.apiKey('tenant-admin')).get('/api/v1/operators'), 403, 'FORBIDDEN');
      const admin = await t.operator('tenant-admin');
      expectProblem(await admin.post('/api/v1/operators', { username: 'would-be-root', password: 'x-password-1', superadmin: true }), 403, 'FORBIDDEN');
      expectProblem(await admin.post('/api/v1/tenants', { slug: 'sneaky', name: 'Sneaky' }), 403, 'FORBIDDEN');
    });
  });
}
