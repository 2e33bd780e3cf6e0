import type { CreateOperatorBody, Operator } from '../../../contract/directory.js';
import type { Role } from '../../../contract/privileges.js';
import { AppError, assertThat } from '../../lib/app-error.js';
import type { Services } from '../../lib/context.js';
import { newId } from '../../lib/ids.js';
import { assertReadableUsername } from '../../lib/usernames.js';
import { isUniqueViolation } from '../../storage/errors.js';
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

export async function createOperator(services: Services, body: CreateOperatorBody, roles: { tenantId: string; role: Role }[]): Promise<Operator> {
  assertReadableUsername(body.username);
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
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', `An operator named ${body.username} already exists.`);
    throw error;
  }
  const stored = await new OperatorRepository(services.storage.db).rolesOf([row.id]);
  return operatorJson(row, stored.get(row.id) ?? []);
}
