import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { HttpClient, type Reply } from '../helpers/http-client.js';
import { OPERATOR_PASSWORD, startTestApp, type TestApp } from '../helpers/test-app.js';
import { newYubiKeyIdentity, yubicoTokenBody } from '../helpers/yubico-otp.js';
import { multipartBody, operationsOf, routeName, type Operation } from './fuzz-support.js';

/**
 * SPEC §1: nothing crosses tenants. For every route of the OpenAPI document
 * with a {tenant} parameter, callers of tenant B (an operator holding roles
 * only there, an API key of B) ask for tenant A's objects, by A's path and by
 * A's ids under B's path. The answer is exactly what a tenant or an object
 * that does not exist gets (404, or 403 where the caller lacks the privilege
 * in B), it holds nothing of A, and A is left as it was.
 */
const OPERATIONS = await (async () => {
  const t = await startTestApp('sqlite');
  try {
    return operationsOf(t.app.swagger());
  } finally {
    await t.close();
  }
})();
const TENANT_ROUTES = OPERATIONS.filter((op) => op.path.includes('{tenant}'));
const READS = TENANT_ROUTES.filter((op) => op.method === 'GET');
const WRITES = TENANT_ROUTES.filter((op) => op.method !== 'GET');

interface TenantA {
  id: string;
  tokenIds: string[];
  userIds: string[];
  usernames: string[];
  serials: string[];
  apiKeyId: string;
  batchId: string;
  operatorId: string;
  /** Every value of A that must never reach a caller of B. */
  secrets: string[];
}

async function seedA(t: TestApp): Promise<TenantA> {
  const admin = t.admin;
  const base = `/api/v1/tenants/${t.tenant}`;
  const id = (await admin.get('/api/v1/tenants')).body.find((x: any) => x.slug === t.tenant).id as string;
  const users = [];
  for (const name of ['alice.isolated', 'bob.isolated']) {
    const reply = await admin.post(`${base}/users`, { username: name, displayName: `${name} of Acme`, email: `${name}@acme.example`, externalId: `ext-${name}` });
    users.push(reply.body);
  }
  const tokens = [];
  for (const body of [
    { serial: 'ISO-A-HOTP-1', type: 'hotp', secretHex: crypto.randomBytes(20).toString('hex'), description: 'acme vault fob' },
    { serial: 'ISO-A-TOTP-1', type: 'totp', secretHex: crypto.randomBytes(20).toString('hex') },
    { serial: 'ISO-A-YK-1', ...yubicoTokenBody(newYubiKeyIdentity()) },
    { serial: 'ISO-A-HOTP-2', type: 'hotp', secretHex: crypto.randomBytes(20).toString('hex') },
  ]) {
    const reply = await admin.post(`${base}/hw-tokens`, body);
    expect(reply.status, reply.text).toBe(201);
    tokens.push(reply.body);
  }
  await admin.post(`${base}/hw-tokens/${tokens[0].id}/assign`, { userId: users[0].id });
  await admin.post(`${base}/hw-tokens/${tokens[1].id}/assign`, { userId: users[0].id });
  await admin.post(`${base}/hw-tokens/${tokens[3].id}/disable`);
  const key = await admin.post(`${base}/api-keys`, { name: 'acme-login-flow', role: 'verifier' });
  const csv = multipartBody([{ name: 'file', filename: 'acme-batch.csv', value: 'serial,secret,type\nISO-A-BATCH-1,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,hotp\n' }]);
  const imported = await t.app.inject({ method: 'POST', url: `${base}/hw-tokens/import`, payload: csv.body, headers: { ...(await sessionHeaders(t)), 'content-type': csv.contentType } });
  expect(imported.statusCode, imported.body).toBe(201);
  const batchId = imported.json().batchId as string;
  const batchToken = (await admin.get(`${base}/hw-tokens?batch=${batchId}`)).body.items[0];
  const operator = await admin.post('/api/v1/operators', { username: 'acme.only.operator', password: OPERATOR_PASSWORD, roles: [{ tenant: t.tenant, role: 'helpdesk' }] });
  const allTokens = [...tokens, batchToken];
  return {
    id, tokenIds: allTokens.map((x) => x.id), userIds: users.map((u) => u.id), usernames: users.map((u) => u.username),
    serials: allTokens.map((x) => x.serial), apiKeyId: key.body.id, batchId, operatorId: operator.body.id,
    secrets: [
      id, 'Acme Bank', ...allTokens.map((x) => x.id), ...allTokens.map((x) => x.serial), ...users.map((u) => u.id), ...users.map((u) => u.username),
      ...users.map((u) => u.email), 'ext-alice.isolated', 'acme vault fob', key.body.id, key.body.prefix, batchId, 'acme-batch.csv',
      operator.body.id, 'acme.only.operator',
    ],
  };
}

/** The superadmin's cookie and CSRF token, for a raw multipart request. */
async function sessionHeaders(t: TestApp): Promise<Record<string, string>> {
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'correct-horse-battery-staple' } });
  return { cookie: String([login.headers['set-cookie']].flat()[0]).split(';')[0]!, 'x-csrf-token': login.json().csrfToken };
}

/** Everything of A as the superadmin sees it: compared before and after B's callers had their go. */
async function snapshotOfA(t: TestApp) {
  const base = `/api/v1/tenants/${t.tenant}`;
  const body = async (url: string) => (await t.admin.get(url)).body;
  return {
    tokens: await body(`${base}/hw-tokens?limit=500`),
    users: await body(`${base}/users?limit=500`),
    settings: await body(`${base}/settings`),
    apiKeys: (await body(`${base}/api-keys`)).map((k: any) => ({ ...k, lastUsedAt: null })),
    batches: await body(`${base}/import-batches`),
    auditHead: (await body(`${base}/audit?limit=1`)).head,
  };
}

interface Caller { label: string; client: HttpClient }

/** A valid body for the operation (so that nothing but the tenant and the ids decides the answer). */
function bodyFor(op: Operation, a: TenantA): { body?: unknown; multipart?: { body: Buffer; contentType: string } } {
  if (op.multipart) return { multipart: multipartBody([{ name: 'file', filename: 'x.csv', value: 'serial,secret,type\nISO-B-X,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,hotp\n' }]) };
  const byPath: [RegExp, unknown][] = [
    [/\/assign$/, { userId: a.userIds[0] }],
    [/\/reset$/, { otp1: '755224', otp2: '287082' }],
    [/\/compromise$/, { reason: 'isolation check' }],
    [/\/verify$/, { username: a.usernames[0], otp: '123456' }],
    [/\/settings$/, { maxFailures: 3 }],
    [/\/users$/, { username: 'created.by.b' }],
    [/\/api-keys$/, { name: 'created-by-b', role: 'viewer' }],
    [/\/hw-tokens$/, { serial: 'ISO-B-NEW', type: 'hotp', secretHex: crypto.randomBytes(20).toString('hex') }],
  ];
  const match = byPath.find(([pattern]) => pattern.test(op.path));
  if (match) return { body: match[1] };
  return op.method === 'GET' || op.method === 'DELETE' ? {} : { body: {} };
}

async function send(caller: Caller, op: Operation, url: string, a: TenantA): Promise<Reply> {
  const { body, multipart } = bodyFor(op, a);
  if (!multipart) return caller.client.request(op.method, url, body);
  return caller.client.request(op.method, url, multipart.body, { 'content-type': multipart.contentType });
}

const fill = (op: Operation, tenant: string, id?: string) =>
  op.path.replace('{tenant}', encodeURIComponent(tenant)).replace('{id}', encodeURIComponent(id ?? crypto.randomUUID()));

/** A's ids to try in the {id} place of this route. */
function idsOfA(op: Operation, a: TenantA): string[] {
  if (op.path.includes('/hw-tokens/{id}')) return a.tokenIds;
  if (op.path.includes('/users/{id}')) return [...a.userIds, ...a.usernames];
  if (op.path.includes('/api-keys/{id}')) return [a.apiKeyId];
  return [];
}

const leaks = (reply: Reply, a: TenantA) => a.secrets.filter((value) => reply.text.includes(value));
const outcome = (reply: Reply) => ({ status: reply.status, code: reply.body?.code, detail: reply.body?.detail });

for (const dialect of DIALECTS) {
  describe(`tenant isolation (${dialect})`, () => {
    let t: TestApp;
    let a: TenantA;
    let before: Awaited<ReturnType<typeof snapshotOfA>>;
    let callers: Caller[];
    let bTokenId: string;

    beforeAll(async () => {
      t = await startTestApp(dialect);
      a = await seedA(t);
      expect((await t.admin.post('/api/v1/tenants', { slug: 'beta', name: 'Beta Corp' })).status).toBe(201);
      bTokenId = (await t.admin.post('/api/v1/tenants/beta/hw-tokens', { serial: 'ISO-B-1', type: 'hotp', secretHex: crypto.randomBytes(20).toString('hex') })).body.id;
      await t.admin.post('/api/v1/tenants/beta/users', { username: 'carol.beta' });
      const operator = async (role: string) => {
        const username = `beta-${role}`;
        const created = await t.admin.post('/api/v1/operators', { username, password: OPERATOR_PASSWORD, roles: [{ tenant: 'beta', role }] });
        expect(created.status, created.text).toBe(201);
        const client = new HttpClient(t.app);
        expect((await client.login(username, OPERATOR_PASSWORD)).status).toBe(200);
        return client;
      };
      const key = async (role: string) => new HttpClient(t.app, (await t.admin.post('/api/v1/tenants/beta/api-keys', { name: `beta-${role}`, role })).body.secret);
      callers = [
        { label: 'operator tenant-admin of B', client: await operator('tenant-admin') },
        { label: 'operator viewer of B', client: await operator('viewer') },
        { label: 'API key tenant-admin of B', client: await key('tenant-admin') },
        { label: 'API key verifier of B', client: await key('verifier') },
      ];
      // An operator of both tenants: B's admin may see it, with its roles in B only.
      await t.admin.post('/api/v1/operators', { username: 'both.tenants', password: OPERATOR_PASSWORD, roles: [{ tenant: t.tenant, role: 'auditor' }, { tenant: 'beta', role: 'viewer' }] });
      before = await snapshotOfA(t);
    });
    afterAll(async () => { await t?.close(); });

    it('covers every tenant route of the document', () => {
      expect(TENANT_ROUTES.length).toBeGreaterThan(20);
      expect(TENANT_ROUTES.filter((op) => op.path.includes('{id}')).length).toBeGreaterThan(8);
    });

    // Reads first: B's refusals are audited in B, naming the ids B's callers sent.
    for (const op of [...READS, ...WRITES]) {
      it(`${routeName(op)}: A's objects, by A's path and by A's ids under B's path, are as absent as objects that do not exist`, async () => {
        const failures: string[] = [];
        for (const caller of callers) {
          // A's path, with A's slug, id or slug in capitals, and A's ids: the answer for a tenant that does not exist.
          const ids = idsOfA(op, a);
          for (const tenantRef of [t.tenant, a.id, t.tenant.toUpperCase()]) {
            for (const id of ids.length ? ids : [undefined]) {
              const url = fill(op, tenantRef, id);
              const reply = await send(caller, op, url, a);
              const baseline = await send(caller, op, fill(op, 'no-such-tenant', id), a);
              if (reply.status !== 404 || reply.body?.code !== 'NOT_FOUND') failures.push(`${caller.label}: ${op.method} ${url} → ${reply.status} ${reply.text.slice(0, 200)}`);
              else if (JSON.stringify(outcome(reply)) !== JSON.stringify(outcome(baseline))) failures.push(`${caller.label}: ${op.method} ${url} differs from a missing tenant: ${reply.text} vs ${baseline.text}`);
              if (leaks(reply, a).length) failures.push(`${caller.label}: ${op.method} ${url} shows ${leaks(reply, a).join(', ')}`);
            }
          }
          // B's path with A's ids: the answer for an id that does not exist (404, or 403 without the privilege).
          for (const id of ids) {
            const url = fill(op, 'beta', id);
            const reply = await send(caller, op, url, a);
            const baseline = await send(caller, op, fill(op, 'beta', id.includes('.') ? 'nobody.here' : crypto.randomUUID()), a);
            if (![403, 404].includes(reply.status)) failures.push(`${caller.label}: ${op.method} ${url} → ${reply.status} ${reply.text.slice(0, 200)}`);
            else if (JSON.stringify(outcome(reply)) !== JSON.stringify(outcome(baseline))) failures.push(`${caller.label}: ${op.method} ${url} differs from a missing id: ${reply.text} vs ${baseline.text}`);
            if (leaks(reply, a).length) failures.push(`${caller.label}: ${op.method} ${url} shows ${leaks(reply, a).join(', ')}`);
          }
        }
        expect(failures).toEqual([]);
      });
    }

    it("B's own routes, asked with A's serials, usernames, user ids, token ids and batch id, find nothing of A", async () => {
      const failures: string[] = [];
      const absent = { serial: 'ISO-NONE', username: 'nobody.here', id: crypto.randomUUID() as string };
      const probes: [string, string, (ref: typeof absent) => [string, unknown?]][] = [];
      for (const serial of a.serials) {
        probes.push(['GET', 'serial', (r) => [`/hw-tokens?serial=${encodeURIComponent(r === absent ? absent.serial : serial)}`]]);
        probes.push(['GET', 'q', (r) => [`/hw-tokens?q=${encodeURIComponent(r === absent ? absent.serial : serial)}`]]);
        probes.push(['GET', 'csv', (r) => [`/hw-tokens.csv?serial=${encodeURIComponent(r === absent ? absent.serial : serial)}`]]);
        probes.push(['GET', 'audit token', (r) => [`/audit?token=${encodeURIComponent(r === absent ? absent.serial : serial)}`]]);
        probes.push(['POST', 'verify serial', (r) => ['/verify', { username: 'carol.beta', serial: r === absent ? absent.serial : serial, otp: '123456' }]]);
      }
      for (const username of a.usernames) {
        probes.push(['GET', 'user', (r) => [`/hw-tokens?user=${encodeURIComponent(r === absent ? absent.username : username)}`]]);
        probes.push(['GET', 'users q', (r) => [`/users?q=${encodeURIComponent(r === absent ? absent.username : username)}`]]);
        probes.push(['GET', 'audit user', (r) => [`/audit?user=${encodeURIComponent(r === absent ? absent.username : username)}`]]);
        probes.push(['POST', 'verify username', (r) => ['/verify', { username: r === absent ? absent.username : username, otp: '123456' }]]);
        probes.push(['POST', 'assign username', (r) => [`/hw-tokens/${bTokenId}/assign`, { username: r === absent ? absent.username : username }]]);
      }
      for (const id of [...a.userIds, ...a.tokenIds, a.batchId]) {
        probes.push(['GET', 'batch', (r) => [`/hw-tokens?batch=${r === absent ? absent.id : id}`]]);
        probes.push(['GET', 'audit token id', (r) => [`/audit?token=${r === absent ? absent.id : id}`]]);
        probes.push(['GET', 'audit user id', (r) => [`/audit?user=${r === absent ? absent.id : id}`]]);
        probes.push(['POST', 'verify userId', (r) => ['/verify', { userId: r === absent ? absent.id : id, otp: '123456' }]]);
        probes.push(['POST', 'assign userId', (r) => [`/hw-tokens/${bTokenId}/assign`, { userId: r === absent ? absent.id : id }]]);
      }
      probes.push(['GET', 'batches', () => ['/import-batches']], ['GET', 'stats', () => ['/hw-tokens/stats']], ['GET', 'all tokens', () => ['/hw-tokens?limit=500']]);
      // Reads first: a verify or assign in B is audited in B with the reference its caller sent.
      const ordered = [...probes.filter(([method]) => method === 'GET'), ...probes.filter(([method]) => method !== 'GET')];
      for (const [method, label, make] of ordered) {
        for (const caller of callers) {
          const [path, body] = make({ serial: '', username: '', id: '' });
          const [absentPath, absentBody] = make(absent);
          const reply = await caller.client.request(method, `/api/v1/tenants/beta${path}`, body);
          const baseline = await caller.client.request(method, `/api/v1/tenants/beta${absentPath}`, absentBody);
          if (reply.status >= 500) failures.push(`${caller.label}: ${label} ${path} → ${reply.status}`);
          if (leaks(reply, a).length) failures.push(`${caller.label}: ${label} ${method} ${path} shows ${leaks(reply, a).join(', ')}`);
          const comparable = (r: Reply) => (r.status === 200 && r.body && typeof r.body === 'object' && !Array.isArray(r.body) && 'head' in r.body ? { ...r.body, head: null } : r.body);
          if (reply.status !== baseline.status || JSON.stringify(comparable(reply)) !== JSON.stringify(comparable(baseline))) {
            failures.push(`${caller.label}: ${label} ${method} ${path} differs from a missing reference: ${reply.status} ${reply.text.slice(0, 200)} vs ${baseline.status} ${baseline.text.slice(0, 200)}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });

    it("B's callers see neither A nor its operators in the tenant list, their profile or the operator list, and cannot grant or change roles in A", async () => {
      const [admin, viewer, adminKey] = callers as [Caller, Caller, Caller, Caller];
      for (const caller of callers) {
        const tenants = await caller.client.get('/api/v1/tenants');
        expect(tenants.status).toBe(200);
        expect(tenants.body.map((x: any) => x.slug)).toEqual(['beta']);
      }
      for (const caller of [admin, viewer]) {
        const me = await caller.client.get('/api/v1/auth/me');
        expect(me.body.tenants.map((x: any) => x.slug)).toEqual(['beta']);
        expect(leaks(me, a)).toEqual([]);
      }
      const operators = await admin.client.get('/api/v1/operators');
      expect(operators.status).toBe(200);
      expect(leaks(operators, a)).toEqual([]);
      const both = operators.body.find((o: any) => o.username === 'both.tenants');
      expect(both.roles).toEqual([{ tenant: 'beta', role: 'viewer' }]);
      expect(operators.body.some((o: any) => o.username === 'acme.only.operator')).toBe(false);
      const grant = await admin.client.post('/api/v1/operators', { username: 'sneaky', password: OPERATOR_PASSWORD, roles: [{ tenant: t.tenant, role: 'tenant-admin' }] });
      expect(grant).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
      const grantById = await admin.client.put(`/api/v1/operators/${both.id}/roles`, { roles: [{ tenant: a.id, role: 'tenant-admin' }] });
      expect(grantById).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
      const change = await admin.client.put(`/api/v1/operators/${a.operatorId}/roles`, { roles: [] });
      expect(outcome(change)).toEqual(outcome(await admin.client.put(`/api/v1/operators/${crypto.randomUUID()}/roles`, { roles: [] })));
      expect(change.status).toBe(404);
      for (const caller of [viewer, adminKey]) {
        const refused = await caller.client.put(`/api/v1/operators/${a.operatorId}/roles`, { roles: [] });
        expect([403, 404]).toContain(refused.status);
        expect(leaks(refused, a)).toEqual([]);
      }
    });

    it('A is exactly as it was', async () => {
      expect(await snapshotOfA(t)).toEqual(before);
      const both = (await t.admin.get('/api/v1/operators')).body.find((o: any) => o.username === 'both.tenants');
      expect(both.roles).toEqual(expect.arrayContaining([{ tenant: t.tenant, role: 'auditor' }]));
    });
  });
}
