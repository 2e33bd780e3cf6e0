import type { ApiKey, CreatedApiKey } from '../../../contract/directory.js';
import type { Role } from '../../../contract/privileges.js';
import { BatchedRead, isOneOf, listParameter, perStorage } from '../../storage/batched-read.js';
import type { Executor, Storage } from '../../storage/db.js';
import { PreparedQuery } from '../../storage/prepared.js';
import type { ApiKeysTable, TenantsTable as TenantRow } from '../../storage/schema.js';
import { newId, randomToken, sha256Hex } from '../../lib/ids.js';
import { iso, isoOrNull } from '../../lib/time.js';

/** last_used_at is written at most this often per key: not a write per verification. */
const LAST_USED_EVERY_MS = 60 * 1000;
const SECRET_PREFIX = 'hwt_';

/**
 * API keys for machine callers. The secret is 256 random bits, shown once;
 * the database keeps its SHA-256 (a slow hash adds nothing to a random secret
 * and would cost every verification).
 */
type KeyWithTenant = Pick<ApiKeysTable, 'id' | 'tenant_id' | 'name' | 'role' | 'last_used_at'>
  & { tenant_slug: string; tenant_name: string; tenant_settings: string; tenant_created_at: number };
/** A live key as authentication needs it: who it is, its role and its tenant. */
export type ResolvedApiKey = Pick<ApiKeysTable, 'id' | 'tenant_id' | 'name' | 'role'> & { tenant: TenantRow };

/** Every API call of the login flow starts here: the keys presented by requests that arrived together, in one statement. */
const liveKeysAmong = new PreparedQuery<{ secretHashes: string[] | string }, KeyWithTenant & { secret_hash: string }>((db, p, dialect) =>
  liveKeysWithTenant(db).select('api_keys.secret_hash').where(isOneOf('api_keys.secret_hash', p('secretHashes'), dialect)));

const liveKeyReads = perStorage((storage) => new BatchedRead<string, KeyWithTenant>(async (secretHashes) => {
  const rows = await liveKeysAmong.execute(storage.db, storage.dialect, { secretHashes: listParameter(secretHashes, storage.dialect) });
  const byHash = new Map(rows.map((row) => [row.secret_hash, row]));
  return secretHashes.map((hash) => {
    const row = byHash.get(hash);
    return row ? [row] : [];
  });
}));

function liveKeysWithTenant(db: Executor) {
  return db.selectFrom('api_keys').innerJoin('tenants', 'tenants.id', 'api_keys.tenant_id')
    .select(['api_keys.id', 'api_keys.tenant_id', 'api_keys.name', 'api_keys.role', 'api_keys.last_used_at'])
    .select(['tenants.slug as tenant_slug', 'tenants.name as tenant_name', 'tenants.settings as tenant_settings', 'tenants.created_at as tenant_created_at'])
    .where('revoked_at', 'is', null);
}

export class ApiKeyStore {
  constructor(private readonly storage: Storage) {}

  /** The live key for a presented secret, with its tenant (one query), or undefined. */
  async resolve(secret: string, now: number): Promise<ResolvedApiKey | undefined> {
    if (!secret.startsWith(SECRET_PREFIX)) return undefined;
    const secretHash = sha256Hex(secret);
    const key = (await liveKeyReads(this.storage).load(secretHash))[0];
    if (!key) return undefined;
    if (now - (key.last_used_at ?? 0) >= LAST_USED_EVERY_MS) {
      // Conditional: of the requests that find the mark stale at once, one writes it.
      await this.storage.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', key.id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - LAST_USED_EVERY_MS)])).execute();
    }
    return {
      id: key.id, tenant_id: key.tenant_id, name: key.name, role: key.role,
      tenant: { id: key.tenant_id, slug: key.tenant_slug, name: key.tenant_name, settings: key.tenant_settings, created_at: key.tenant_created_at },
    };
  }

  async list(tenantId: string): Promise<ApiKey[]> {
    const rows = await this.storage.db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId)
      .where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute();
    return rows.map(apiKeyJson);
  }
}

/** Stores a new key (the caller audits it in the same transaction); its secret is in the answer only. */
export async function insertApiKey(db: Executor, tenantId: string, name: string, role: Role, createdBy: string, now: number): Promise<CreatedApiKey> {
  const prefix = randomToken(6).slice(0, 8);
  const secret = `${SECRET_PREFIX}${prefix}_${randomToken(32)}`;
  const row: ApiKeysTable = {
    id: newId(), tenant_id: tenantId, name, role, prefix, secret_hash: sha256Hex(secret),
    created_at: now, created_by: createdBy, last_used_at: null, revoked_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return { ...apiKeyJson(row), secret };
}

/** Revokes a live key; undefined when there is none of that id in the tenant. */
export function markRevoked(db: Executor, tenantId: string, id: string, now: number): Promise<ApiKeysTable | undefined> {
  return db.updateTable('api_keys').set({ revoked_at: now }).where('tenant_id', '=', tenantId)
    .where('id', '=', id).where('revoked_at', 'is', null).returningAll().executeTakeFirst();
}

export function apiKeyJson(row: ApiKeysTable): ApiKey {
  return {
    id: row.id, name: row.name, role: row.role as Role, prefix: row.prefix,
    createdAt: iso(row.created_at), createdBy: row.created_by, lastUsedAt: isoOrNull(row.last_used_at),
  };
}
