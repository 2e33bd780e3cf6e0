import type { Tenant, TenantSettings } from '../../../contract/directory.js';
import type { Dialect, Executor } from '../../storage/db.js';
import { forUpdate } from '../../storage/locking.js';
import type { TenantsTable } from '../../storage/schema.js';
import { iso } from '../../lib/time.js';
import { parseSettings } from './tenant-settings.js';

export type TenantRow = TenantsTable;

export class TenantRepository {
  constructor(private readonly db: Executor) {}

  /** By slug (what URLs carry) or by id. */
  findByRef(ref: string): Promise<TenantRow | undefined> {
    return this.db.selectFrom('tenants').selectAll().where((eb) => eb.or([eb('slug', '=', ref.toLowerCase()), eb('id', '=', ref)]))
      .executeTakeFirst();
  }

  all(): Promise<TenantRow[]> {
    return this.db.selectFrom('tenants').selectAll().orderBy('slug').execute();
  }

  byIds(ids: string[]): Promise<TenantRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('tenants').selectAll().where('id', 'in', ids).orderBy('slug').execute();
  }

  async insert(row: TenantRow): Promise<void> {
    await this.db.insertInto('tenants').values(row).execute();
  }

  /** The tenant's settings, its row locked until the transaction ends (see forUpdate). */
  async lockedSettings(id: string, dialect: Dialect): Promise<TenantSettings> {
    const row = await forUpdate(this.db.selectFrom('tenants').select('settings').where('id', '=', id), dialect).executeTakeFirstOrThrow();
    return parseSettings(row.settings);
  }

  async saveSettings(id: string, settings: TenantSettings): Promise<void> {
    await this.db.updateTable('tenants').set({ settings: JSON.stringify(settings) }).where('id', '=', id).execute();
  }
}

export const tenantJson = (row: TenantRow): Tenant => ({ id: row.id, slug: row.slug, name: row.name, createdAt: iso(row.created_at) });
export const tenantSettingsOf = (row: TenantRow): TenantSettings => parseSettings(row.settings);

