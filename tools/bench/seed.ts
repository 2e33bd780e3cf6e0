import crypto from 'node:crypto';
import type { Role } from '../../src/contract/privileges.js';
import type { Services, TenantContext } from '../../src/server/lib/context.js';
import { newId } from '../../src/server/lib/ids.js';
import { insertApiKey } from '../../src/server/modules/api-keys/api-key-store.js';
import { createTenant } from '../../src/server/modules/tenants/tenant-admin.js';
import { DEFAULT_SETTINGS } from '../../src/server/modules/tenants/tenant-settings.js';
import { newTokenRow } from '../../src/server/modules/tokens/token-factory.js';
import type { TokenRow } from '../../src/server/modules/tokens/token-repository.js';
import type { TokenSpec } from '../../src/server/modules/tokens/token-spec.js';
import type { UsersTable } from '../../src/server/storage/schema.js';

export interface SeededTenant {
  ctx: Pick<TenantContext, 'keyring' | 'tenant'>;
  slug: string;
  apiKey(role: Role): Promise<string>;
}

export async function seedTenant(services: Services, slug = 'bench'): Promise<SeededTenant> {
  const tenant = await createTenant(services, { slug, name: 'Benchmark' });
  return benchTenant(services, tenant.id, slug);
}

/** A tenant that exists already (a kept benchmark database). */
export function benchTenant(services: Services, id: string, slug: string): SeededTenant {
  return {
    slug,
    ctx: { keyring: services.keyring, tenant: { id, slug, settings: DEFAULT_SETTINGS } },
    apiKey: async (role) => (await insertApiKey(services.storage.db, id, `bench-${role}`, role, 'bench', Date.now())).secret,
  };
}

export const hotpSpec = (serial: string, secret: Buffer): TokenSpec => ({
  serial, type: 'hotp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, drift: 0, secret,
  vendor: 'Bench', model: 'B1', description: null,
});

/** Inserts rows in batches inside one transaction per batch. */
export async function insertBatches<T>(services: Services, table: 'users' | 'hw_tokens', rows: Iterable<T>, batch = 500): Promise<void> {
  let pending: T[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const values = pending;
    pending = [];
    await services.storage.db.insertInto(table).values(values as never).execute();
  };
  for (const row of rows) {
    pending.push(row);
    if (pending.length >= batch) await flush();
  }
  await flush();
}

export function userRow(tenantId: string, username: string): UsersTable {
  return { id: newId(), tenant_id: tenantId, username, username_lower: username.toLowerCase(), display_name: `User ${username}`, email: null, external_id: null, created_at: Date.now() };
}

/** The i-th user of a verification benchmark, with a random HOTP secret. */
export type BenchUser = { username: string; secret: Buffer };
export const benchUser = (i: number): BenchUser => ({ username: `u${String(i).padStart(6, '0')}`, secret: crypto.randomBytes(20) });

/** `count` users, each holding one HOTP token with its own secret. */
export async function seedUsersWithHotp(services: Services, seeded: SeededTenant, count: number) {
  const users: BenchUser[] = [];
  const userRows: UsersTable[] = [];
  const tokenRows: TokenRow[] = [];
  for (let i = 0; i < count; i++) {
    const { username, secret } = benchUser(i);
    const user = userRow(seeded.ctx.tenant.id, username);
    userRows.push(user);
    tokenRows.push(newTokenRow(seeded.ctx, hotpSpec(`V${String(i).padStart(7, '0')}`, secret), { now: Date.now(), holder: { id: user.id, username } }));
    users.push({ username, secret });
  }
  await insertBatches(services, 'users', userRows);
  await insertBatches(services, 'hw_tokens', tokenRows);
  return users;
}
