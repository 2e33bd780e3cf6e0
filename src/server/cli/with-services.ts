import fs from 'node:fs';
import { privilegesOf } from '../../contract/privileges.js';
import { loadConfig } from '../config.js';
import { assertThat } from '../lib/app-error.js';
import type { Services, TenantContext } from '../lib/context.js';
import { TenantRepository, tenantSettingsOf } from '../modules/tenants/tenant-repository.js';
import { openServices } from '../services.js';
import { embeddedDatabaseFile } from '../storage/db.js';

/**
 * Runs a command against the configured database, then closes it. Unless the
 * command sets a site up (`createsDatabase`: tenant and operator create), the
 * embedded database must exist already: a mistyped HWT_DATA_DIR is an error,
 * not a new empty database that answers (an audit check of nothing, a key
 * file in the wrong folder).
 */
export async function withServices<T>(run: (services: Services) => Promise<T>, options: { createsDatabase?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  const file = embeddedDatabaseFile(config.dataDir);
  assertThat(options.createsDatabase || config.databaseUrl || fs.existsSync(file), 'NOT_FOUND',
    `No database at ${file}: set HWT_DATA_DIR to the service's data folder, or run hwtokens migrate to create one.`);
  const services = await openServices(config);
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
