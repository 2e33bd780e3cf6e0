// SPEC §6 authentication: no credentials → 401, cookie sessions need the CSRF header to change anything, logout and revocation take effect at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addToken } from '../helpers/factories.js';
import { expectProblem, tokenUrl } from '../helpers/api-checks.js';
import { HttpClient, type Reply } from '../helpers/http-client.js';
import { OPERATOR_PASSWORD, startTestApp, type TestApp } from '../helpers/test-app.js';

for (const dialect of DIALECTS) {
  describe(`authentication and sessions (${dialect})`, () => {
    let t: TestApp;
    beforeAll(async () => { t = await startTestApp(dialect); });
    afterAll(async () => { await t?.close(); });

    /** Raw requests with exactly the headers given. */
    const raw = async (method: string, url: string, headers: Record<string, string>, payload?: object): Promise<Reply> => {
      const response = await t.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
      const isJson = String(response.headers['content-type'] ?? '').includes('json') && response.body;
      return { status: response.statusCode, body: isJson ? JSON.parse(response.body) : response.body, headers: response.headers, text: response.body };
    };
    /** Signs in an operator of `role` and returns its cookie and CSRF token. */
    const signIn = async (role: 'helpdesk' | 'viewer', username: string) => {
      await t.operator(role, username);
      const reply = await raw('POST', '/api/v1/auth/login', {}, { username, password: OPERATOR_PASSWORD });
      expect(reply.status, reply.text).toBe(200);
      const setCookie = [reply.headers['set-cookie']].flat()[0] as string;
      return { cookie: setCookie.split(';')[0]!, csrf: reply.body.csrfToken as string, setCookie };
    };

    it('answers 401 UNAUTHENTICATED without credentials, even before reading the body', async () => {
      for (const [method, url, body] of [
        ['GET', `/api/v1/tenants/${t.tenant}/hw-tokens`],
        ['GET', '/api/v1/auth/me'],
        ['GET', '/api/v1/operators'],
        ['POST', '/api/v1/tenants', { slug: 'nope', name: 'Nope' }],
        ['POST', `/api/v1/tenants/${t.tenant}/verify`, { username: 'x', otp: '123456' }],
        ['POST', `/api/v1/tenants/${t.tenant}/verify`, { unknown: true }],
        ['POST', `/api/v1/tenants/${t.tenant}/hw-tokens`, { serial: 1 }],
      ] as [string, string, object?][]) {
        const refused = await raw(method, url, {}, body);
        expectProblem(refused, 401, 'UNAUTHENTICATED');
        expect(refused.headers['www-authenticate']).toBe('Bearer realm="hwtokens"');
      }
      expect((await raw('GET', '/healthz', {})).status).toBe(200);
      expect((await raw('GET', '/readyz', {})).status).toBe(200);
    });

    it('refuses a malformed or unknown bearer key with 401', async () => {
      for (const authorization of ['Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer hwt_not_a_key', 'Bearer ' + 'x'.repeat(300), 'Token abc']) {
        expectProblem(await raw('GET', `/api/v1/tenants/${t.tenant}/hw-tokens`, { authorization }), 401, 'UNAUTHENTICATED');
      }
    });

    it('sets an HttpOnly, SameSite=Strict session cookie', async () => {
      const { setCookie } = await signIn('viewer', 'cookie-check');
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Strict/i);
      expect(setCookie).toMatch(/Path=\//);
    });

    it('refuses a wrong password with 401 and throttles repeated failures with 429', async () => {
      await t.operator('viewer', 'throttled');
      for (let i = 0; i < 5; i++) {
        expectProblem(await raw('POST', '/api/v1/auth/login', {}, { username: 'throttled', password: `wrong-${i}` }), 401, 'UNAUTHENTICATED');
      }
      const throttled = await raw('POST', '/api/v1/auth/login', {}, { username: 'throttled', password: OPERATOR_PASSWORD });
      expectProblem(throttled, 429, 'RATE_LIMITED');
      // The 15-minute window started with the first failure: the caller is told how long to wait.
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    });

    it('refuses a state change by cookie without the CSRF header, or with a wrong one (403), and changes nothing', async () => {
      const token = await addToken(t.admin, t.tenant, {});
      const { cookie, csrf } = await signIn('helpdesk', 'csrf-op');
      const url = tokenUrl(t, token.id, 'disable');
      expectProblem(await raw('POST', url, { cookie }), 403, 'FORBIDDEN');
      expectProblem(await raw('POST', url, { cookie, 'x-csrf-token': `${csrf.slice(0, -1)}x` }), 403, 'FORBIDDEN');
      expectProblem(await raw('POST', url, { cookie, 'x-csrf-token': '' }), 403, 'FORBIDDEN');
      expect((await raw('GET', tokenUrl(t, token.id), { cookie })).body.status).toBe('active');
      // Another session's token is no good either.
      const other = await signIn('helpdesk', 'csrf-op-2');
      expectProblem(await raw('POST', url, { cookie, 'x-csrf-token': other.csrf }), 403, 'FORBIDDEN');
      const done = await raw('POST', url, { cookie, 'x-csrf-token': csrf });
      expect(done.status, done.text).toBe(200);
      expect(done.body.status).toBe('disabled');
    });

    it('logout ends the session at once (and needs the CSRF header itself)', async () => {
      const { cookie, csrf } = await signIn('viewer', 'leaving');
      expect((await raw('GET', '/api/v1/auth/me', { cookie })).status).toBe(200);
      expectProblem(await raw('POST', '/api/v1/auth/logout', { cookie }), 403, 'FORBIDDEN');
      const out = await raw('POST', '/api/v1/auth/logout', { cookie, 'x-csrf-token': csrf });
      expect(out.status).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/hwt_session=;/);
      expectProblem(await raw('GET', '/api/v1/auth/me', { cookie }), 401, 'UNAUTHENTICATED');
      expectProblem(await raw('GET', `/api/v1/tenants/${t.tenant}/hw-tokens`, { cookie }), 401, 'UNAUTHENTICATED');
    });

    it('a session ends after 30 idle minutes', async () => {
      const { cookie } = await signIn('viewer', 'idle-op');
      t.clock.advance(29 * 60_000);
      expect((await raw('GET', '/api/v1/auth/me', { cookie })).status).toBe(200);
      t.clock.advance(29 * 60_000);
      expect((await raw('GET', '/api/v1/auth/me', { cookie })).status).toBe(200);
      t.clock.advance(31 * 60_000);
      expectProblem(await raw('GET', '/api/v1/auth/me', { cookie }), 401, 'UNAUTHENTICATED');
      // The suite's own admin session is idle too by now: sign in again.
      await t.admin.login('admin', 'correct-horse-battery-staple');
    });

    it('a revoked API key is refused at once with 401', async () => {
      const created = await t.admin.post(`/api/v1/tenants/${t.tenant}/api-keys`, { name: 'to-revoke', role: 'viewer' });
      expect(created.status, created.text).toBe(201);
      expect(created.body.secret).toMatch(/^hwt_/);
      // Shown once: no cache may keep the answer that carries it.
      expect(created.headers['cache-control']).toBe('no-store');
      const key = new HttpClient(t.app, created.body.secret);
      expect((await key.get(`/api/v1/tenants/${t.tenant}/hw-tokens`)).status).toBe(200);
      const listed = await t.admin.get(`/api/v1/tenants/${t.tenant}/api-keys`);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
      expect((await t.admin.delete(`/api/v1/tenants/${t.tenant}/api-keys/${created.body.id}`)).status).toBe(204);
      expectProblem(await key.get(`/api/v1/tenants/${t.tenant}/hw-tokens`), 401, 'UNAUTHENTICATED');
      expectProblem(await t.admin.delete(`/api/v1/tenants/${t.tenant}/api-keys/${created.body.id}`), 404, 'NOT_FOUND');
      const after = await t.admin.get(`/api/v1/tenants/${t.tenant}/api-keys`);
      expect(after.body.map((k: { id: string }) => k.id)).not.toContain(created.body.id);
    });

    it("a change of an operator's roles applies to its open session at once", async () => {
      const created = await t.admin.post('/api/v1/operators', { username: 'demoted', password: OPERATOR_PASSWORD, roles: [{ tenant: t.tenant, role: 'helpdesk' }] });
      expect(created.status, created.text).toBe(201);
      const client = new HttpClient(t.app);
      expect((await client.login('demoted', OPERATOR_PASSWORD)).status).toBe(200);
      const token = await addToken(t.admin, t.tenant, {});
      expect((await client.post(tokenUrl(t, token.id, 'disable'))).status).toBe(200);
      const roles = (role: string[]) => t.admin.put(`/api/v1/operators/${created.body.id}/roles`, { roles: role.map((r) => ({ tenant: t.tenant, role: r })) });
      expect((await roles(['viewer'])).status).toBe(200);
      expectProblem(await client.post(tokenUrl(t, token.id, 'enable')), 403, 'FORBIDDEN');
      expect((await client.get(tokenUrl(t, token.id))).status).toBe(200);
      expect((await roles([])).status).toBe(200);
      expectProblem(await client.get(tokenUrl(t, token.id)), 404, 'NOT_FOUND');
    });

    it('an API key cannot use the operator endpoints', async () => {
      const key = await t.apiKey('tenant-admin');
      expectProblem(await key.get('/api/v1/auth/me'), 403, 'FORBIDDEN');
      expectProblem(await key.post('/api/v1/tenants', { slug: 'by-key', name: 'By key' }), 403, 'FORBIDDEN');
    });
  });
}
