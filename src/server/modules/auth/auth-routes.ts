import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { LoginBody, Me, SESSION_COOKIE } from '../../../contract/auth.js';
import { AppError, assertThat } from '../../lib/app-error.js';
import type { Services } from '../../lib/context.js';
import { iso } from '../../lib/time.js';
import { principalOf } from '../../http/auth-hooks.js';
import { privilegesIn, type Principal } from '../../http/principal.js';
import { withProblems } from '../../http/route-schemas.js';
import { OperatorRepository } from '../operators/operator-repository.js';
import { TenantRepository } from '../tenants/tenant-repository.js';
import { decoyHash, verifyPassword } from './passwords.js';
import { SESSION_ABSOLUTE_MS, SessionStore } from './session-store.js';
import { LoginThrottle } from './login-throttle.js';

const tags = ['Authentication'];

export function authRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const sessions = new SessionStore(services.storage.db);
    const throttle = new LoginThrottle(services);

    app.post('/auth/login', { config: { public: true }, schema: { tags, summary: 'Sign in; sets the session cookie', body: LoginBody, response: withProblems({ 200: Me }) } },
      async (request, reply) => {
        const { username, password } = request.body;
        await throttle.check(username, request.ip);
        const operators = new OperatorRepository(services.storage.db);
        const operator = await operators.findByUsername(username);
        const valid = await verifyPassword(password, operator?.password_hash ?? (await decoyHash()));
        if (!operator || !valid) {
          await throttle.fail(username, request.ip);
          request.log.info({ username }, 'sign-in refused');
          throw new AppError('UNAUTHENTICATED', 'Wrong username or password.');
        }
        await throttle.succeed(username);
        // A fresh session id at every sign-in (no session fixation).
        const previous = request.cookies[SESSION_COOKIE];
        if (previous) await sessions.destroy((await sessions.resolve(previous, services.clock.now()))?.idHash ?? '');
        const { cookieValue, session } = await sessions.create(operator.id, services.clock.now());
        // Secure whenever the request came over TLS (directly, or at a trusted proxy).
        setSessionCookie(reply, cookieValue, request.protocol === 'https');
        const roles = (await operators.rolesOf([operator.id])).get(operator.id) ?? [];
        return me(services, { kind: 'operator', id: operator.id, username: operator.username, displayName: operator.display_name, superadmin: operator.superadmin === 1, roles, session });
      });

    app.post('/auth/logout', { schema: { tags, summary: 'Sign out (ends the session on every instance)', response: withProblems({ 204: Type.Null() }) } },
      async (request, reply) => {
        const principal = principalOf(request);
        if (principal.kind === 'operator') await sessions.destroy(principal.session.idHash);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      });

    app.get('/auth/me', { schema: { tags, summary: 'The signed-in operator, its tenants and privileges', response: withProblems({ 200: Me }) } },
      async (request) => {
        const principal = principalOf(request);
        assertThat(principal.kind === 'operator', 'FORBIDDEN', 'An API key has no operator.');
        return me(services, principal);
      });
  };
}

function setSessionCookie(reply: FastifyReply, value: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: SESSION_ABSOLUTE_MS / 1000 });
}

async function me(services: Services, principal: Principal & { kind: 'operator' }) {
  const tenants = new TenantRepository(services.storage.db);
  const rows = principal.superadmin ? await tenants.all() : await tenants.byIds([...new Set(principal.roles.map((r) => r.tenantId))]);
  return {
    operator: { id: principal.id, username: principal.username, displayName: principal.displayName, superadmin: principal.superadmin },
    tenants: rows.map((t) => ({
      id: t.id, slug: t.slug, name: t.name,
      roles: principal.superadmin ? (['tenant-admin'] as const).slice() : principal.roles.filter((r) => r.tenantId === t.id).map((r) => r.role),
      privileges: [...(privilegesIn(principal, t.id) ?? [])],
    })),
    csrfToken: principal.session.csrfToken,
    sessionExpiresAt: iso(principal.session.expiresAt),
  };
}

