import type { Dialect, Executor } from '../../storage/db.js';
import { PreparedQuery } from '../../storage/prepared.js';
import type { TokenRow } from '../tokens/token-repository.js';
import type { TokenState } from '../tokens/types/token-type.js';

/**
 * The statements of the verification path (SQLite and PostgreSQL alike),
 * compiled once: it is the service's hottest path, called on every sign-in.
 */

type Who = { tenantId: string; who: string; serial?: string };
type UserTokenRow = TokenRow & { user_id: string; user_username: string };

/** A user with the active tokens that take part, in one query (a row per token, or one row of nulls). */
function userWithActiveTokensQuery(by: 'id' | 'username', withSerial: boolean) {
  return new PreparedQuery<Who, UserTokenRow>((db, p) => db.selectFrom('users')
    .leftJoin('hw_tokens', (join) => {
      // tenant_id first: the (tenant_id, holder_id, status) index serves the join.
      const on = join.on('hw_tokens.tenant_id', '=', p('tenantId')).onRef('hw_tokens.holder_id', '=', 'users.id').on('hw_tokens.status', '=', 'active');
      return withSerial ? on.on('hw_tokens.serial_lower', '=', p('serial') as string) : on;
    })
    .selectAll('hw_tokens').select(['users.id as user_id', 'users.username as user_username'])
    .where('users.tenant_id', '=', p('tenantId'))
    .where(by === 'id' ? 'users.id' : 'users.username_lower', '=', p('who')));
}

const userWithActiveTokens = {
  'id': userWithActiveTokensQuery('id', false),
  'id+serial': userWithActiveTokensQuery('id', true),
  'username': userWithActiveTokensQuery('username', false),
  'username+serial': userWithActiveTokensQuery('username', true),
};

export interface UserWithTokens { user: { id: string; username: string }; tokens: TokenRow[] }

/** The user named by id or username with its active tokens in serial order; undefined when there is no such user. */
export async function findUserWithActiveTokens(db: Executor, dialect: Dialect, tenantId: string,
  who: { userId?: string; username?: string }, serial?: string): Promise<UserWithTokens | undefined> {
  const key = `${who.userId !== undefined ? 'id' : 'username'}${serial !== undefined ? '+serial' : ''}` as keyof typeof userWithActiveTokens;
  const rows = await userWithActiveTokens[key].execute(db, dialect, {
    tenantId, who: who.userId ?? who.username?.toLowerCase() ?? '', serial: serial?.toLowerCase(),
  });
  const first = rows[0];
  if (!first) return undefined;
  // Ordered here, not in SQL: an ORDER BY on the joined table turns SQLite's
  // plan into a walk of the serial index (milliseconds instead of microseconds).
  const tokens = rows.filter((r) => r.id !== null).map(({ user_id: _u, user_username: _n, ...token }) => token as TokenRow)
    .sort((a, b) => (a.serial_lower < b.serial_lower ? -1 : 1));
  return { user: { id: first.user_id, username: first.user_username }, tokens };
}

/** The state columns that verification moves (TokenState's others never change here). */
type MovingState = Pick<TokenState, 'counter' | 'drift' | 'last_step' | 'yubico_use_counter' | 'yubico_session_counter'>;
type Accepted = MovingState & { tenantId: string; id: string; version: number; now: number };

const acceptIfVersion = new PreparedQuery<Accepted, { id: string }>((db, p) => db.updateTable('hw_tokens')
  .set({
    counter: p('counter'), drift: p('drift'), last_step: p('last_step'),
    yubico_use_counter: p('yubico_use_counter'), yubico_session_counter: p('yubico_session_counter'),
    fail_count: 0, lock_count: 0, locked_until: null, last_used_at: p('now'), updated_at: p('now'),
    version: (eb) => eb('version', '+', 1),
  })
  .where('tenant_id', '=', p('tenantId')).where('id', '=', p('id')).where('version', '=', p('version'))
  .returning('id'));

/**
 * Compare-and-set of an accepted OTP: stores the token's new state and clears
 * its failures only if nobody changed the row since it was read at `token.version`.
 */
export async function acceptIfUnchanged(db: Executor, dialect: Dialect, token: TokenRow, state: MovingState, now: number): Promise<boolean> {
  const rows = await acceptIfVersion.execute(db, dialect, {
    tenantId: token.tenant_id, id: token.id, version: token.version, now,
    counter: state.counter, drift: state.drift, last_step: state.last_step,
    yubico_use_counter: state.yubico_use_counter, yubico_session_counter: state.yubico_session_counter,
  });
  return rows.length === 1;
}

const addFailure = new PreparedQuery<{ tenantId: string; id: string }, { fail_count: number; lock_count: number; version: number }>((db, p) =>
  db.updateTable('hw_tokens').set((eb) => ({ fail_count: eb('fail_count', '+', 1), version: eb('version', '+', 1) }))
    .where('tenant_id', '=', p('tenantId')).where('id', '=', p('id'))
    .returning(['fail_count', 'lock_count', 'version']));

/** One failed attempt, counted atomically (SPEC.md §5 lockout). */
export function countFailure(db: Executor, dialect: Dialect, token: TokenRow) {
  return addFailure.first(db, dialect, { tenantId: token.tenant_id, id: token.id });
}
