import type { CreateOperatorBody, Operator } from '../../../contract/directory.js';
import type { Role } from '../../../contract/privileges.js';
import { AppError, assertThat } from '../../lib/app-error.js';
import type { Services } from '../../lib/context.js';
import { newId } from '../../lib/ids.js';
import { assertReadableName, assertReadableUsername } from '../../lib/usernames.js';
import type { Tx } from '../../storage/db.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { AuditRepository } from '../audit/audit-repository.js';
import { hashPassword, passwordProblems } from '../auth/passwords.js';
import { TenantRepository } from '../tenants/tenant-repository.js';
import { OperatorRepository, operatorJson } from './operator-repository.js';

export interface RoleGrant { tenant: string; role: Role }

/** Resolves tenant slugs of role grants; every tenant must exist and be one the caller administers. */
export async function resolveGrants(services: Services, grants: RoleGrant[], mayAdminister: (tenantId: string) => boolean) {
  const tenants = new TenantRepository(services.storage.db);
  const resolved: { tenantId: string; role: Role }[] = [];
  for (const grant of grants) {
    const tenant = await tenants.findByRef(grant.tenant);
    assertThat(tenant && mayAdminister(tenant.id), 'NOT_FOUND', `No such tenant: ${grant.tenant}.`);
    resolved.push({ tenantId: tenant.id, role: grant.role });
  }
  return resolved;
}

type TenantRole = { tenantId: string; role: Role };

/**
 * Creates an operator with roles; each tenant it gets a role in records that
 * in its audit trail (the same transaction), as `actor`.
 */
export async function createOperator(services: Services, actor: string, body: CreateOperatorBody, roles: TenantRole[]): Promise<Operator> {
  assertReadableUsername(body.username);
  assertReadableName(body.displayName, 'displayName');
  const problems = passwordProblems(body.password, body.username);
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems.join('; '), problems.map((reason) => ({ ref: 'body/password', reason })));
  const row = {
    id: newId(), username: body.username, username_lower: body.username.toLowerCase(), display_name: body.displayName ?? null,
    password_hash: await hashPassword(body.password), superadmin: body.superadmin ? 1 : 0, created_at: services.clock.now(),
  };
  try {
    await services.storage.db.transaction().execute(async (tx) => {
      const operators = new OperatorRepository(tx);
      await operators.insert(row);
      await operators.replaceRoles(row.id, [], roles);
      await auditRoleChanges(tx, services, { actor, action: 'operator.create', operator: row.username }, [], roles);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', `An operator named ${body.username} already exists.`);
    throw error;
  }
  const stored = await new OperatorRepository(services.storage.db).rolesOf([row.id]);
  return operatorJson(row, stored.get(row.id) ?? []);
}

/**
 * Replaces an operator's roles in `tenantIds` (its roles elsewhere are kept);
 * each tenant whose roles for it change records that in its audit trail, in
 * the same transaction.
 */
export async function replaceOperatorRoles(services: Services, actor: string, operator: { id: string; username: string }, tenantIds: string[], roles: TenantRole[]): Promise<void> {
  await services.storage.db.transaction().execute(async (tx) => {
    const operators = new OperatorRepository(tx);
    const before = (await operators.rolesOf([operator.id])).get(operator.id) ?? [];
    await operators.replaceRoles(operator.id, tenantIds, roles);
    const kept = before.filter((r) => !tenantIds.includes(r.tenantId));
    await auditRoleChanges(tx, services, { actor, action: 'operator.roles', operator: operator.username }, before, [...kept, ...roles]);
  });
}

/** One event per tenant where the operator's roles differ, in tenant order (heads are locked last, in a fixed order). */
async function auditRoleChanges(tx: Tx, services: Services, change: { actor: string; action: string; operator: string }, before: TenantRole[], after: TenantRole[]): Promise<void> {
  const rolesIn = (roles: TenantRole[], tenantId: string) => [...new Set(roles.filter((r) => r.tenantId === tenantId).map((r) => r.role))].sort().join(', ') || 'none';
  const tenantIds = [...new Set([...before, ...after].map((r) => r.tenantId))].sort();
  for (const tenantId of tenantIds) {
    const [was, is] = [rolesIn(before, tenantId), rolesIn(after, tenantId)];
    if (was === is) continue;
    await new AuditRepository(tx, services.storage.dialect, tenantId).append(tx, {
      at: services.clock.now(), actor: change.actor, action: change.action, outcome: 'success',
      tokenId: null, serial: null, userId: null, username: null, reason: null, detail: `operator ${change.operator}: roles ${was} → ${is}`,
    });
  }
}
