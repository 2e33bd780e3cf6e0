import type { CreateApiKeyBody, CreatedApiKey } from '../../../contract/directory.js';
import { assertThat } from '../../lib/app-error.js';
import type { TenantContext } from '../../lib/context.js';
import { assertReadableName } from '../../lib/usernames.js';
import { auditIn } from '../audit/audit-log.js';
import { insertApiKey, markRevoked } from './api-key-store.js';

/** A new key and its audit event in one transaction: no key exists unrecorded. */
export function createApiKey(ctx: TenantContext, body: CreateApiKeyBody): Promise<CreatedApiKey> {
  assertReadableName(body.name, 'name');
  return ctx.storage.db.transaction().execute(async (tx) => {
    const key = await insertApiKey(tx, ctx.tenant.id, body.name, body.role, ctx.actor, ctx.clock.now());
    await auditIn(ctx, tx, { action: 'apikey.create', detail: `${key.name} (${key.role}, ${key.prefix})` });
    return key;
  });
}

/** Revokes a key of the tenant (NOT_FOUND when it has no live key of that id), audited in the same transaction. */
export function revokeApiKey(ctx: TenantContext, id: string): Promise<void> {
  return ctx.storage.db.transaction().execute(async (tx) => {
    const revoked = await markRevoked(tx, ctx.tenant.id, id, ctx.clock.now());
    assertThat(revoked, 'NOT_FOUND', 'No such API key in this tenant.');
    await auditIn(ctx, tx, { action: 'apikey.revoke', detail: `${revoked.name} (${revoked.prefix})` });
  });
}
