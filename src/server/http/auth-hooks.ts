import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { CSRF_HEADER, SESSION_COOKIE } from '../../contract/auth.js';
import type { Privilege, Role } from '../../contract/privileges.js';
import { AppError, assertThat } from '../lib/app-error.js';
import type { Services, TenantContext } from '../lib/context.js';
import { ApiKeyStore } from '../modules/api-keys/api-key-store.js';
import { auditAlone, type AuditEntry } from '../modules/audit/audit-log.js';
import { csrfMatches, SessionStore } from '../modules/auth/session-store.js';
import { OperatorRepository } from '../modules/operators/operator-repository.js';
import { TokenRepository } from '../modules/tokens/token-repository.js';
import { TenantRepository, tenantSettingsOf } from '../modules/tenants/tenant-repository.js';
import { actorName, privilegesIn, type Principal } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Routes reachable without signing in (login, health, docs). */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every /api route needs a principal: a session cookie (whose state-changing
 * requests also carry the session's CSRF token in a header) or a bearer API key.
 * It is checked before the body is validated, so that an anonymous caller
 * learns nothing about the request schema from validation errors.
 */
export function installAuth(app: FastifyInstance, services: Services): void {
  app.decorateRequest('principal', null);
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config.public || !request.url.startsWith('/api/')) return;
    request.principal = await authenticate(request, services);
  });
}

async function authenticate(request: FastifyRequest, services: Services): Promise<Principal> {
  const now = services.clock.now();
  const authorization = request.headers.authorization;
  if (authorization) {
    const [scheme, secret] = authorization.split(' ');
    assertThat(scheme?.toLowerCase() === 'bearer' && secret, 'UNAUTHENTICATED', 'Use Authorization: Bearer <api key>.');
    const key = await new ApiKeyStore(services.storage).resolve(secret, now);
    assertThat(key, 'UNAUTHENTICATED', 'The API key is not valid or has been revoked.');
    return { kind: 'apikey', id: key.id, name: key.name, tenantId: key.tenant_id, role: key.role as Role, tenant: key.tenant };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  assertThat(cookie, 'UNAUTHENTICATED', 'Sign in first.');
  const session = await new SessionStore(services.storage.db).resolve(cookie, now);
  assertThat(session, 'UNAUTHENTICATED', 'The session has expired; sign in again.');
  if (!SAFE_METHODS.has(request.method)) {
    assertThat(csrfMatches(session.csrfToken, request.headers[CSRF_HEADER] as string | undefined), 'FORBIDDEN',
      'The CSRF token is missing or wrong: reload the console.');
  }
  const operators = new OperatorRepository(services.storage.db);
  const operator = await operators.findById(session.operatorId);
  assertThat(operator, 'UNAUTHENTICATED', 'The operator no longer exists.');
  const roles = (await operators.rolesOf([operator.id])).get(operator.id) ?? [];
  return { kind: 'operator', id: operator.id, username: operator.username, displayName: operator.display_name, superadmin: operator.superadmin === 1, roles, session };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  return request.principal;
}

/**
 * The tenant named in the path, for a principal that holds `privilege` there.
 * A tenant the principal has nothing to do with does not exist for it (404);
 * one where it lacks the privilege is 403.
 */
export async function tenantContext(request: FastifyRequest, services: Services, privilege: Privilege): Promise<TenantContext> {
  const principal = principalOf(request);
  const ref = (request.params as { tenant: string }).tenant;
  // An API key belongs to one tenant, already loaded with the key.
  const tenant = principal.kind === 'apikey'
    ? (ref.toLowerCase() === principal.tenant.slug || ref === principal.tenant.id ? principal.tenant : undefined)
    : await new TenantRepository(services.storage.db).findByRef(ref);
  const privileges = tenant && privilegesIn(principal, tenant.id);
  assertThat(tenant && privileges, 'NOT_FOUND', 'No such tenant.');
  const ctx = { ...services, tenant: { id: tenant.id, slug: tenant.slug, settings: tenantSettingsOf(tenant) }, actor: actorName(principal), privileges };
  if (!privileges.has(privilege)) {
    const error = new AppError('FORBIDDEN', `This needs the ${privilege} privilege.`);
    // An attempt to change something without the right is itself an event of the tenant (reads are not).
    if (!SAFE_METHODS.has(request.method)) await auditAlone(ctx, await attemptOf(ctx, request, error), 'refused');
    throw error;
  }
  return ctx;
}

/**
 * A refused request as the audit trail names it: a token action by its verb,
 * with the token when the tenant has it (an id of another tenant's is not
 * written here); anything else by its route.
 */
async function attemptOf(ctx: TenantContext, request: FastifyRequest, error: AppError): Promise<AuditEntry> {
  const route = request.routeOptions.url ?? '';
  const detail = `${error.code}: ${request.method} ${route}: ${error.message}`;
  const tokenAction = /\/hw-tokens\/:id\/([a-z]+)$/.exec(route)?.[1];
  if (!tokenAction) return { action: 'access.denied', detail };
  const token = await new TokenRepository(ctx.storage.db, ctx.storage.dialect, ctx.tenant.id).findById((request.params as { id: string }).id);
  return { action: tokenAction, tokenId: token?.id ?? null, serial: token?.serial ?? null, detail };
}

export function requireSuperadmin(request: FastifyRequest): Principal & { kind: 'operator' } {
  const principal = principalOf(request);
  assertThat(principal.kind === 'operator' && principal.superadmin, 'FORBIDDEN', 'Only a superadmin may do this.');
  return principal;
}
