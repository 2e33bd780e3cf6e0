import type { Operator } from '../../../contract/directory.js';
import type { Role } from '../../../contract/privileges.js';
import type { Executor } from '../../storage/db.js';
import type { OperatorsTable } from '../../storage/schema.js';
import { iso } from '../../lib/time.js';

export type OperatorRow = OperatorsTable;
export interface OperatorRole { tenantId: string; tenantSlug: string; role: Role }

export class OperatorRepository {
  constructor(private readonly db: Executor) {}

  findById(id: string): Promise<OperatorRow | undefined> {
    return this.db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByUsername(username: string): Promise<OperatorRow | undefined> {
    return this.db.selectFrom('operators').selectAll().where('username_lower', '=', username.toLowerCase()).executeTakeFirst();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('operators').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insert(row: OperatorRow): Promise<void> {
    await this.db.insertInto('operators').values(row).execute();
  }

  async rolesOf(operatorIds: string[]): Promise<Map<string, OperatorRole[]>> {
    const result = new Map<string, OperatorRole[]>(operatorIds.map((id) => [id, []]));
    if (operatorIds.length === 0) return result;
    const rows = await this.db.selectFrom('operator_roles').innerJoin('tenants', 'tenants.id', 'operator_roles.tenant_id')
      .select(['operator_roles.operator_id', 'operator_roles.tenant_id', 'operator_roles.role', 'tenants.slug'])
      .where('operator_roles.operator_id', 'in', operatorIds).execute();
    for (const row of rows) result.get(row.operator_id)?.push({ tenantId: row.tenant_id, tenantSlug: row.slug, role: row.role as Role });
    return result;
  }

  /** Replaces the operator's roles in the given tenants (others are kept). */
  async replaceRoles(operatorId: string, tenantIds: string[], roles: { tenantId: string; role: Role }[]): Promise<void> {
    if (tenantIds.length > 0) {
      await this.db.deleteFrom('operator_roles').where('operator_id', '=', operatorId).where('tenant_id', 'in', tenantIds).execute();
    }
    const unique = [...new Map(roles.map((r) => [`${r.tenantId}/${r.role}`, r])).values()];
    if (unique.length > 0) {
      await this.db.insertInto('operator_roles').values(unique.map((r) => ({ operator_id: operatorId, tenant_id: r.tenantId, role: r.role }))).execute();
    }
  }

  /** Operators with a role in one of `tenantIds` (all operators when undefined). */
  async list(tenantIds?: string[]): Promise<OperatorRow[]> {
    let query = this.db.selectFrom('operators').selectAll('operators');
    if (tenantIds) {
      if (tenantIds.length === 0) return [];
      query = query.where('id', 'in', (eb) => eb.selectFrom('operator_roles').select('operator_id').where('tenant_id', 'in', tenantIds));
    }
    return query.orderBy('username_lower').execute();
  }
}

export function operatorJson(row: OperatorRow, roles: OperatorRole[]): Operator {
  return {
    id: row.id, username: row.username, displayName: row.display_name, superadmin: row.superadmin === 1,
    roles: roles.map((r) => ({ tenant: r.tenantSlug, role: r.role })), createdAt: iso(row.created_at),
  };
}
