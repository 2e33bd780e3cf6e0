import type { HwToken, UserRef } from '../../../contract/tokens.js';
import { iso, isoOrNull } from '../../lib/time.js';
import type { UserRow } from '../users/user-repository.js';
import type { TokenRow } from './token-repository.js';
import { tokenTypeHandler } from './token-types.js';
import type { Executor } from '../../storage/db.js';
import { UserRepository } from '../users/user-repository.js';
import { isLocked } from '../verification/lockout.js';

const userRef = (user: UserRow | undefined): UserRef | null =>
  user ? { id: user.id, username: user.username, displayName: user.display_name } : null;

/** The API's view of a token: never any key material (SPEC.md §6). */
export function tokenJson(row: TokenRow, users: Map<string, UserRow>, now: number): HwToken {
  return {
    id: row.id,
    serial: row.serial,
    type: row.type as HwToken['type'],
    status: row.status as HwToken['status'],
    vendor: row.vendor,
    model: row.model,
    algorithm: row.algorithm as HwToken['algorithm'],
    digits: row.digits,
    period: row.period,
    holder: row.holder_id ? userRef(users.get(row.holder_id)) : null,
    formerHolder: row.former_holder_id ? userRef(users.get(row.former_holder_id)) : null,
    assignedAt: isoOrNull(row.assigned_at),
    failCount: row.fail_count,
    // A lock that has run out is no lock: its end is not shown as if it were still ahead.
    lockedUntil: isLocked(row, now) ? isoOrNull(row.locked_until) : null,
    locked: isLocked(row, now),
    lastUsedAt: isoOrNull(row.last_used_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    compromisedAt: isoOrNull(row.compromised_at),
    compromiseReason: row.compromise_reason,
    compromisedBy: row.compromised_by,
    capabilities: { ...tokenTypeHandler(row.type).capabilities },
    batchId: row.batch_id,
    description: row.description,
  };
}

/** Renders rows with their holders, loaded in one query. */
export async function tokensJson(db: Executor, tenantId: string, rows: TokenRow[], now: number): Promise<HwToken[]> {
  const ids = rows.flatMap((r) => [r.holder_id, r.former_holder_id]).filter((id): id is string => id !== null);
  const users = await new UserRepository(db, tenantId).byIds(ids);
  return rows.map((row) => tokenJson(row, users, now));
}
