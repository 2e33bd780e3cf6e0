import type { TenantContext } from '../../lib/context.js';
import type { Executor } from '../../storage/db.js';
import { TokenRepository } from '../tokens/token-repository.js';
import { countFailure } from './verification-queries.js';

/** Lock periods double on each repeat, up to a day (NIST SP 800-63B §5.2.2 throttling). */
const MAX_LOCK_MS = 24 * 60 * 60 * 1000;

/**
 * One wrong OTP for a token (SPEC.md §5 lockout), counted atomically; at the
 * tenant's limit the token locks, for longer on each repeat. True when this
 * failure locked it.
 */
export async function countFailureOrLock(db: Executor, ctx: TenantContext, token: { tenant_id: string; id: string }, now: number): Promise<boolean> {
  const { maxFailures, lockSeconds } = ctx.tenant.settings;
  const counted = await countFailure(db, ctx.storage.dialect, token, now);
  if (!counted || counted.fail_count < maxFailures) return false;
  const lockMs = Math.min(lockSeconds * 1000 * 2 ** Math.min(counted.lock_count, 20), MAX_LOCK_MS);
  await new TokenRepository(db, ctx.storage.dialect, ctx.tenant.id)
    .updateIfVersion(token.id, counted.version, { locked_until: now + lockMs, lock_count: counted.lock_count + 1 });
  return true;
}

/** True while the token is locked by failures. */
export const isLocked = (token: { locked_until: number | null }, now: number): boolean => (token.locked_until ?? 0) > now;
