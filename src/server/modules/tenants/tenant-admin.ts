import type { CreateTenantBody, Tenant, TenantSettings } from '../../../contract/directory.js';
import { AppError, assertThat } from '../../lib/app-error.js';
import type { Services, TenantContext } from '../../lib/context.js';
import { auditIn } from '../audit/audit-log.js';
import { looksLikeId, newId } from '../../lib/ids.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { AuditRepository } from '../audit/audit-repository.js';
import { DEFAULT_SETTINGS } from './tenant-settings.js';
import { TenantRepository, tenantJson } from './tenant-repository.js';

/** Creates a tenant with its settings and the head of its audit chain, in one transaction. */
export async function createTenant(services: Services, body: CreateTenantBody): Promise<Tenant> {
  assertThat(!looksLikeId(body.slug), 'VALIDATION_FAILED', 'A slug cannot have the shape of a tenant id (a UUID): URLs accept either.');
  const row = { id: newId(), slug: body.slug.toLowerCase(), name: body.name, settings: JSON.stringify(DEFAULT_SETTINGS), created_at: services.clock.now() };
  try {
    await services.storage.db.transaction().execute(async (tx) => {
      await new TenantRepository(tx).insert(row);
      await new AuditRepository(tx, services.storage.dialect, row.id).createHead();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', `A tenant with slug ${row.slug} already exists.`);
    throw error;
  }
  return tenantJson(row);
}

function mergeSettings(current: TenantSettings, patch: Partial<TenantSettings>): TenantSettings {
  return { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
}

/**
 * Applies a partial change of settings to what the database holds, read
 * under the tenant's row lock: two changes of different settings at once, on
 * any instances, both last (the one read when the request came in could be
 * stale). The event records each changed setting's old and new value.
 */
export function updateSettings(ctx: TenantContext, patch: Partial<TenantSettings>): Promise<TenantSettings> {
  return ctx.storage.db.transaction().execute(async (tx) => {
    const tenants = new TenantRepository(tx);
    const current = await tenants.lockedSettings(ctx.tenant.id, ctx.storage.dialect);
    const settings = mergeSettings(current, patch);
    await tenants.saveSettings(ctx.tenant.id, settings);
    const changes = (Object.keys(patch) as (keyof TenantSettings)[]).filter((key) => patch[key] !== undefined)
      .map((key) => `${key} ${String(current[key])} → ${String(settings[key])}`);
    await auditIn(ctx, tx, { action: 'settings.update', detail: changes.join('; ') || 'no change' });
    return settings;
  });
}
