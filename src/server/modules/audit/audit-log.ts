import type { TenantContext } from '../../lib/context.js';
import type { Tx } from '../../storage/db.js';
import { AppError } from '../../lib/app-error.js';
import { AuditRepository, type NewAuditEvent } from './audit-repository.js';

export type AuditEntry = Omit<NewAuditEvent, 'at' | 'actor' | 'outcome' | 'tokenId' | 'serial' | 'userId' | 'username' | 'reason' | 'detail'> &
  Partial<Pick<NewAuditEvent, 'tokenId' | 'serial' | 'userId' | 'username' | 'reason' | 'detail'>>;

/** The event that records `entry` with `outcome`, by the context's actor, now. */
export function auditEvent(ctx: TenantContext, entry: AuditEntry, outcome: string): NewAuditEvent {
  return {
    at: ctx.clock.now(), actor: ctx.actor, outcome, action: entry.action,
    tokenId: entry.tokenId ?? null, serial: entry.serial ?? null, userId: entry.userId ?? null,
    username: entry.username ?? null, reason: entry.reason ?? null, detail: entry.detail ?? null,
  };
}

/** Records an event inside the transaction that made the change: both land or neither. */
export function auditIn(ctx: TenantContext, tx: Tx, entry: AuditEntry, outcome = 'success'): Promise<unknown> {
  return new AuditRepository(tx, ctx.storage.dialect, ctx.tenant.id).append(tx, auditEvent(ctx, entry, outcome));
}

/** Records an event in a transaction of its own (a refusal, after its rollback). */
export function auditAlone(ctx: TenantContext, entry: AuditEntry, outcome: string): Promise<unknown> {
  return ctx.storage.db.transaction().execute((tx) => auditIn(ctx, tx, entry, outcome));
}

/**
 * Runs `action` in a transaction and audits it either way: a success inside the
 * same transaction, a refusal (an AppError) in its own once the change is
 * rolled back. `describe` names the token and user as far as they are known.
 */
export async function audited<T>(
  ctx: TenantContext,
  entry: () => AuditEntry,
  action: (tx: Tx) => Promise<T>,
): Promise<T> {
  try {
    return await ctx.storage.db.transaction().execute(async (tx) => {
      const result = await action(tx);
      await auditIn(ctx, tx, entry());
      return result;
    });
  } catch (error) {
    if (error instanceof AppError) {
      await auditAlone(ctx, { ...entry(), detail: `${error.code}: ${error.message}` }, 'refused');
    }
    throw error;
  }
}
