import { ROLE_PRIVILEGES, privilegesOf, type Privilege, type Role } from '../../contract/privileges.js';
import type { OperatorRole } from '../modules/operators/operator-repository.js';
import type { Session } from '../modules/auth/session-store.js';
import type { TenantRow } from '../modules/tenants/tenant-repository.js';

/** Who sent a request: a signed-in operator or a machine caller's API key. */
export type Principal =
  | { kind: 'operator'; id: string; username: string; displayName: string | null; superadmin: boolean; roles: OperatorRole[]; session: Session }
  | { kind: 'apikey'; id: string; name: string; tenantId: string; role: Role; tenant: TenantRow };

/** How the audit trail names the actor. */
export function actorName(principal: Principal): string {
  return principal.kind === 'operator' ? principal.username : `apikey:${principal.name}`;
}

/**
 * The principal's privileges in a tenant, or undefined when it has no business
 * there at all (answered 404, so that other tenants cannot be probed).
 * A superadmin holds every privilege in every tenant.
 */
export function privilegesIn(principal: Principal, tenantId: string): ReadonlySet<Privilege> | undefined {
  if (principal.kind === 'apikey') return principal.tenantId === tenantId ? new Set(ROLE_PRIVILEGES[principal.role]) : undefined;
  if (principal.superadmin) return privilegesOf(['tenant-admin']);
  const roles = principal.roles.filter((r) => r.tenantId === tenantId).map((r) => r.role);
  return roles.length > 0 ? privilegesOf(roles) : undefined;
}
