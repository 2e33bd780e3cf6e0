import type { TenantContext } from '../../lib/context.js';
import { newId } from '../../lib/ids.js';
import type { TokenRow } from './token-repository.js';
import type { TokenSpec } from './token-spec.js';
import { tokenTypeHandler } from './token-types.js';

/** Additional data that binds a ciphertext to its tenant and token row. */
export const keyMaterialAad = (tenantId: string, tokenId: string): string => `hw_tokens:${tenantId}:${tokenId}`;

/** A new inventory row for a validated spec, its key material encrypted. */
export function newTokenRow(
  ctx: Pick<TenantContext, 'keyring' | 'tenant'>,
  spec: TokenSpec,
  options: { now: number; batchId?: string | null; holder?: { id: string; username: string } | null },
): TokenRow {
  const id = newId();
  const handler = tokenTypeHandler(spec.type);
  const { envelope, keyId } = ctx.keyring.encrypt(handler.keyMaterial(spec), keyMaterialAad(ctx.tenant.id, id));
  const holder = options.holder ?? null;
  return {
    id,
    tenant_id: ctx.tenant.id,
    serial: spec.serial,
    serial_lower: spec.serial.toLowerCase(),
    type: spec.type,
    status: 'active',
    vendor: spec.vendor ?? null,
    model: spec.model ?? null,
    algorithm: null,
    digits: null,
    period: null,
    counter: 0,
    drift: 0,
    last_step: null,
    yubico_public_id: null,
    yubico_use_counter: null,
    yubico_session_counter: null,
    ...handler.initialState(spec),
    secret_enc: envelope,
    key_id: keyId,
    holder_id: holder?.id ?? null,
    holder_sort: holder?.username.toLowerCase() ?? '',
    former_holder_id: null,
    assigned_at: holder ? options.now : null,
    fail_count: 0,
    lock_count: 0,
    locked_until: null,
    last_used_at: 0,
    created_at: options.now,
    updated_at: options.now,
    compromised_at: null,
    compromise_reason: null,
    compromised_by: null,
    batch_id: options.batchId ?? null,
    description: spec.description ?? null,
    description_lower: spec.description?.toLowerCase() ?? null,
    version: 0,
  };
}

/** Decrypts a token's key material; a compromised token has none. */
export function keyMaterialOf(ctx: Pick<TenantContext, 'keyring'>, row: Pick<TokenRow, 'secret_enc' | 'tenant_id' | 'id'>): Buffer | undefined {
  return row.secret_enc ? ctx.keyring.decrypt(row.secret_enc, keyMaterialAad(row.tenant_id, row.id)) : undefined;
}
