import { sql } from 'kysely';
import { BatchedRead, isOneOf, listParameter, perStorage } from '../../storage/batched-read.js';
import { columnArrays, unnestColumns, type ColumnArrays, type ColumnTypes } from '../../storage/column-arrays.js';
import type { Dialect, Executor, Storage, Tx } from '../../storage/db.js';
import type { BulkChange } from '../audit/group-commit.js';
import { PreparedQuery } from '../../storage/prepared.js';
import type { HwTokensTable } from '../../storage/schema.js';
import type { TokenState } from '../tokens/types/token-type.js';

/**
 * The statements of the verification path (SQLite and PostgreSQL alike),
 * compiled once: it is the service's hottest path, called on every sign-in.
 */

type Who = { tenantId: string; who: string; serial: string };

/** What verification reads of a token: its state, its key material and the guards around them. */
const VERIFIABLE_COLUMNS = [
  'id', 'tenant_id', 'serial', 'serial_lower', 'type', 'algorithm', 'digits', 'period', 'counter', 'drift', 'last_step',
  'yubico_public_id', 'yubico_use_counter', 'yubico_session_counter', 'secret_enc', 'locked_until', 'version',
] as const;
export type VerifiableToken = Pick<HwTokensTable, (typeof VERIFIABLE_COLUMNS)[number]>;
type UserTokenRow = VerifiableToken & { user_id: string; user_username: string };

/** Users with the active tokens that take part, in one query (a row per token, or one row of nulls per user). */
function usersWithActiveTokens(db: Executor, tenantId: string, serial?: string) {
  return db.selectFrom('users')
    .leftJoin('hw_tokens', (join) => {
      // tenant_id first: the (tenant_id, holder_id, status) index serves the join.
      const on = join.on('hw_tokens.tenant_id', '=', tenantId).onRef('hw_tokens.holder_id', '=', 'users.id').on('hw_tokens.status', '=', 'active');
      return serial === undefined ? on : on.on('hw_tokens.serial_lower', '=', serial);
    })
    .select(VERIFIABLE_COLUMNS.map((column) => `hw_tokens.${column}` as const)).select(['users.id as user_id', 'users.username as user_username'])
    .where('users.tenant_id', '=', tenantId);
}

const USER_KEY = { id: 'users.id', username: 'users.username_lower' } as const;
type By = keyof typeof USER_KEY;

/** A look-up by serial runs alone: it names one token of one user. */
function userWithTokenOfSerialQuery(by: By) {
  return new PreparedQuery<Who, UserTokenRow>((db, p) =>
    usersWithActiveTokens(db, p('tenantId'), p('serial')).where(USER_KEY[by], '=', p('who')));
}

const userWithTokenOfSerial = { id: userWithTokenOfSerialQuery('id'), username: userWithTokenOfSerialQuery('username') };

/** The users of one tenant that requests arriving together name, with their active tokens. */
function usersAmongQuery(by: By) {
  return new PreparedQuery<{ tenantId: string; whos: string[] | string }, UserTokenRow & { user_key: string }>((db, p, dialect) =>
    usersWithActiveTokens(db, p('tenantId')).select(`${USER_KEY[by]} as user_key`).where(isOneOf(USER_KEY[by], p('whos'), dialect)));
}

const usersAmong = { id: usersAmongQuery('id'), username: usersAmongQuery('username') };

type UserRef = { tenantId: string; by: By; who: string };
const refKey = (tenantId: string, by: By, who: string) => `${tenantId}\n${by}\n${who}`;

const userReads = perStorage((storage) => new BatchedRead<UserRef, UserTokenRow>(async (refs) => {
  const asked = new Map<string, { tenantId: string; by: By; whos: Set<string> }>();
  for (const { tenantId, by, who } of refs) {
    const groupKey = `${tenantId}\n${by}`;
    const group = asked.get(groupKey) ?? { tenantId, by, whos: new Set<string>() };
    group.whos.add(who);
    asked.set(groupKey, group);
  }
  const found = new Map<string, UserTokenRow[]>();
  for (const { tenantId, by, whos } of asked.values()) {
    for (const row of await usersAmong[by].execute(storage.db, storage.dialect, { tenantId, whos: listParameter([...whos], storage.dialect) })) {
      const key = refKey(tenantId, by, row.user_key);
      const rows = found.get(key) ?? [];
      rows.push(row);
      found.set(key, rows);
    }
  }
  return refs.map(({ tenantId, by, who }) => found.get(refKey(tenantId, by, who)) ?? []);
}));

export interface UserWithTokens { user: { id: string; username: string }; tokens: VerifiableToken[] }

/**
 * The user named by id or username with its active tokens in serial order;
 * undefined when there is no such user. The look-ups without a serial of
 * requests that arrive together share one statement (see BatchedRead).
 */
export async function findUserWithActiveTokens(storage: Storage, tenantId: string,
  who: { userId?: string; username?: string }, serial?: string): Promise<UserWithTokens | undefined> {
  const by: By = who.userId !== undefined ? 'id' : 'username';
  const ref = { tenantId, by, who: who.userId ?? who.username?.toLowerCase() ?? '' };
  const rows = serial === undefined
    ? await userReads(storage).load(ref)
    : await userWithTokenOfSerial[by].execute(storage.db, storage.dialect, { ...ref, serial: serial.toLowerCase() });
  const first = rows[0];
  if (!first) return undefined;
  // Ordered here, not in SQL: an ORDER BY on the joined table turns SQLite's
  // plan into a walk of the serial index (milliseconds instead of microseconds).
  // The rows are the tokens: their user columns ride along unread.
  const tokens: VerifiableToken[] = rows.filter((r) => r.id !== null).sort((a, b) => (a.serial_lower < b.serial_lower ? -1 : 1));
  return { user: { id: first.user_id, username: first.user_username }, tokens };
}

/** The state columns that verification moves (TokenState's others never change here). */
type MovingState = Pick<TokenState, 'counter' | 'drift' | 'last_step' | 'yubico_use_counter' | 'yubico_session_counter'>;
/** An accepted OTP's new state for the token read at `version`. */
export type Acceptance = MovingState & { tenantId: string; id: string; version: number; now: number };

const acceptedState = (p: <K extends keyof Acceptance>(name: K) => Acceptance[K]) => ({
  counter: p('counter'), drift: p('drift'), last_step: p('last_step'),
  yubico_use_counter: p('yubico_use_counter'), yubico_session_counter: p('yubico_session_counter'),
  fail_count: 0, lock_count: 0, locked_until: null, last_used_at: p('now'), updated_at: p('now'),
});

const acceptIfVersion = new PreparedQuery<Acceptance, { id: string }>((db, p) => db.updateTable('hw_tokens')
  .set({ ...acceptedState(p), version: (eb) => eb('version', '+', 1) })
  .where('tenant_id', '=', p('tenantId')).where('id', '=', p('id')).where('version', '=', p('version'))
  .returning('id'));

const ACCEPTANCE_TYPES: ColumnTypes<Acceptance> = {
  tenantId: 'text', id: 'text', version: 'integer', now: 'bigint', counter: 'bigint', drift: 'integer',
  last_step: 'bigint', yubico_use_counter: 'integer', yubico_session_counter: 'integer',
};

/**
 * The compare-and-set of many tokens in one UPDATE on PostgreSQL: the rows
 * come from column arrays (see column-arrays.ts), each row is matched by id
 * and version, and the pairs (id, version) that moved are returned. The
 * arrays are in id order, so an index nested loop locks the rows in id
 * order, as the rest of a group does.
 */
const acceptAllIfVersion = new PreparedQuery<ColumnArrays<Acceptance>, { id: string; version: number }>((db, p) => {
  const accepted = sql<Acceptance>`(select * from ${unnestColumns(ACCEPTANCE_TYPES, p)})`.as('accepted');
  const column = (field: keyof Acceptance) => sql.ref(`accepted.${field}`) as never;
  return db.updateTable('hw_tokens').from(accepted)
    .set({ ...acceptedState(column), version: (eb) => eb('hw_tokens.version', '+', 1) })
    .whereRef('hw_tokens.id', '=', 'accepted.id').whereRef('hw_tokens.tenant_id', '=', 'accepted.tenantId')
    .whereRef('hw_tokens.version', '=', 'accepted.version')
    .returning(['hw_tokens.id', 'accepted.version']);
});

/**
 * Compare-and-set of accepted OTPs, one result per acceptance: a token's new
 * state is stored and its failures cleared only if nobody changed the row
 * since it was read at `version`. Of acceptances of one token in a call at
 * most one wins, as if they ran one after the other; a loser's verification
 * reads again.
 */
export const acceptIfUnchanged: BulkChange<Acceptance, boolean> = {
  run: (tx, dialect, acceptances) => (dialect === 'postgres' ? acceptInOneStatement(tx, acceptances) : acceptOneByOne(tx, acceptances)),
};

async function acceptInOneStatement(tx: Tx, acceptances: Acceptance[]): Promise<boolean[]> {
  // A row that matches two acceptances is updated once: only the first of
  // equal (id, version) pairs is sent, and a returned pair names its winner.
  const key = (id: string, version: number) => `${id}@${version}`;
  const sent = new Map<string, Acceptance>();
  for (const acceptance of acceptances) {
    if (!sent.has(key(acceptance.id, acceptance.version))) sent.set(key(acceptance.id, acceptance.version), acceptance);
  }
  const rows = [...sent.values()];
  const moved = new Set((await acceptAllIfVersion.execute(tx, 'postgres', columnArrays(rows, ACCEPTANCE_TYPES))).map((row) => key(row.id, row.version)));
  return acceptances.map((acceptance) => {
    const pair = key(acceptance.id, acceptance.version);
    return sent.get(pair) === acceptance && moved.has(pair);
  });
}

/** SQLite runs statements in process: one prepared UPDATE per token costs no round trip. */
async function acceptOneByOne(tx: Tx, acceptances: Acceptance[]): Promise<boolean[]> {
  const results: boolean[] = [];
  for (const acceptance of acceptances) results.push((await acceptIfVersion.execute(tx, 'sqlite', acceptance)).length === 1);
  return results;
}

const addFailure = new PreparedQuery<{ tenantId: string; id: string; now: number }, { fail_count: number; lock_count: number; version: number }>((db, p) =>
  db.updateTable('hw_tokens').set((eb) => ({ fail_count: eb('fail_count', '+', 1), version: eb('version', '+', 1) }))
    .where('tenant_id', '=', p('tenantId')).where('id', '=', p('id'))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', p('now'))]))
    .returning(['fail_count', 'lock_count', 'version']));

/**
 * One failed attempt, counted atomically (SPEC.md §5 lockout); undefined when
 * the token is locked by then. Attempts that were under way when it locked
 * count nothing: else a burst of guesses would lock it again and again, each
 * time for twice as long.
 */
export function countFailure(db: Executor, dialect: Dialect, token: Pick<VerifiableToken, 'tenant_id' | 'id'>, now: number) {
  return addFailure.first(db, dialect, { tenantId: token.tenant_id, id: token.id, now });
}
