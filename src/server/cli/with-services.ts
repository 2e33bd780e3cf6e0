import { privilegesOf } from '../../contract/privileges.js';
import { loadConfig } from '../config.js';
import { assertThat } from '../lib/app-error.js';
import type { Services, TenantContext } from '../lib/context.js';
import { TenantRepository, tenantSettingsOf } from '../modules/tenants/tenant-repository.js';
import { openServices } from '../services.js';

/** Runs a command against the configured database, then closes it. */
export async function withServices<T>(run: (services: Services) => Promise<T>): Promise<T> {
  const services = await openServices(loadConfig());
  try {
    return await run(services);
  } finally {
    await services.storage.close();
  }
}

/** A command's context in the tenant named by slug or id: the actor `cli`, with every tenant privilege. */
export async function cliTenantContext(services: Services, tenantRef: string): Promise<TenantContext> {
  const tenant = await new TenantRepository(services.storage.db).findByRef(tenantRef);
  assertThat(tenant, 'NOT_FOUND', `No tenant ${tenantRef}.`);
  return {
    ...services,
    tenant: { id: tenant.id, slug: tenant.slug, settings: tenantSettingsOf(tenant) },
    actor: 'cli',
    privileges: privilegesOf(['tenant-admin']),
  };
}
