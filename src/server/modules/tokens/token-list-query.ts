import { expressionBuilder, sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { TokenListQuery, TokenSortKey } from '../../../contract/tokens.js';
import type { Dialect, Executor } from '../../storage/db.js';
import type { Database, HwTokensTable } from '../../storage/schema.js';
import { AppError } from '../../lib/app-error.js';

export type TokenQuery<O> = SelectQueryBuilder<Database, 'hw_tokens', O>;
type Column = keyof HwTokensTable & string;

/**
 * Sort keys of the API, the NOT NULL column each sorts by (keyset paging needs
 * no NULLs), and the unique column that orders ties: the serial where an index
 * (filter, serial) exists anyway, the id otherwise. Serials are unique in a
 * tenant, so the serial sort needs none.
 */
const SORT_COLUMNS: Record<TokenSortKey, { column: Column; tiebreak?: 'serial_lower' | 'id' }> = {
  serial: { column: 'serial_lower' },
  status: { column: 'status', tiebreak: 'serial_lower' },
  type: { column: 'type', tiebreak: 'serial_lower' },
  createdAt: { column: 'created_at', tiebreak: 'id' },
  lastUsedAt: { column: 'last_used_at', tiebreak: 'id' },
  holder: { column: 'holder_sort', tiebreak: 'id' },
};

/** Sort columns of epoch milliseconds; the others are text. */
const NUMERIC_COLUMNS = new Set<string>(['created_at', 'last_used_at']);

export interface Sort {
  column: Column;
  tiebreak?: Column;
  descending: boolean;
}

/** The columns a query orders by, named as that query reads them. */
export interface Order {
  column: string;
  tiebreak?: string;
  descending: boolean;
}

export function parseSort(value: string | undefined): Sort {
  const key = (value ?? 'serial').replace(/^-/, '') as TokenSortKey;
  return { ...SORT_COLUMNS[key], descending: value?.startsWith('-') ?? false };
}

/**
 * How a list query reaches its rows, chosen from the capped count:
 * `by-filter` when at most TOTAL_CAP tokens match (through the index of a
 * filter, then sorted: bounded work), `by-order` when more do (along the sort's
 * index, testing each row until the page is full: a few rows per match, see
 * token-list-walk.ts). It decides for the prefix filters and free text, which
 * have indexes of their own: neither planner can tell which way is cheaper
 * (SQLite has no statistics unless someone gathers them, PostgreSQL cannot
 * estimate a substring match), and the wrong one reads a tenant's every row.
 */
export type Access = 'by-filter' | 'by-order';

export interface Plan {
  dialect: Dialect;
  access: Access;
  sort: Sort;
}

/** Whether the access can differ for this filter: then the count runs first and decides. */
export function accessMatters(filter: TokenListQuery, sort: Sort): boolean {
  return Boolean(filter.q || (filter.serial && sort.column !== 'serial_lower') || (filter.user && sort.column !== 'holder_sort'));
}

/**
 * A prefix as a half-open range on a bytewise-collated column, so both
 * databases answer it from an index (LIKE 'x%' does not on every collation).
 */
export function prefixRange(prefix: string): [string, string] {
  const last = prefix.codePointAt(prefix.length - 1)!;
  return [prefix, prefix.slice(0, prefix.length - String.fromCodePoint(last).length) + String.fromCodePoint(last + 1)];
}

/** `text` for a LIKE pattern with a backslash escape: its %, _ and backslashes match themselves. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Whether the trigram index can find candidates for `q`: FTS5 trigrams need
 * three characters (and FTS5 reads a query only up to a NUL); pg_trgm takes
 * its trigrams from runs of letters and digits. Other texts are only scanned.
 */
export function searchable(q: string | undefined, dialect: Dialect): q is string {
  if (!q) return false;
  return dialect === 'sqlite' ? [...q].length >= 3 && !q.includes('\u0000') : /[\p{L}\p{N}]{3}/u.test(q);
}

/** Whether the free-text index finds the rows: in a `by-filter` query for a text long enough. */
function searchDrives(filter: TokenListQuery, plan: Plan): boolean {
  return plan.access === 'by-filter' && searchable(filter.q?.toLowerCase(), plan.dialect);
}

/**
 * A column SQLite must not reach the rows by: the same value behind a unary
 * plus, which no index answers. Without statistics SQLite guesses that an
 * equality on an index's first column matches ten rows, so `tenant_id = ?`
 * looks like the best way in, though it may be a million rows.
 */
export const unindexed = (column: Column, dialect: Dialect): Expression<unknown> =>
  dialect === 'sqlite' ? sql`+${sql.ref(`hw_tokens.${column}`)}` : sql.ref(`hw_tokens.${column}`);

/** The tenant test: where the search index finds the rows, not the way in. */
export function tenantColumn(filter: TokenListQuery, plan: Plan): Expression<unknown> {
  return searchDrives(filter, plan) ? unindexed('tenant_id', plan.dialect) : sql.ref('hw_tokens.tenant_id');
}

/**
 * The tokens as a query that reads them in the sort's order, and that order.
 * PostgreSQL keeps the order of last use in `hw_token_use` (migration 004:
 * verification's updates of `hw_tokens` stay HOT), so there the tokens are
 * joined to it and ordered by its index; its values equal the token's
 * `last_used_at`, id and status, so positions and cursors are the same, and a
 * status filter also tests the copy, whose index holds that order per status.
 * Every other sort, and SQLite, read `hw_tokens` alone.
 */
export function orderedTokens(db: Executor, plan: Plan, filter: TokenListQuery): { from: TokenQuery<{}>; order: Order } {
  const from = db.selectFrom('hw_tokens');
  if (plan.dialect !== 'postgres' || plan.sort.column !== 'last_used_at') return { from, order: plan.sort };
  const joined = from.innerJoin('hw_token_use', (join) =>
    join.onRef('hw_token_use.token_id', '=', 'hw_tokens.id').onRef('hw_token_use.tenant_id', '=', 'hw_tokens.tenant_id'));
  const statuses = statusesOf(filter);
  const narrowed = statuses.length > 0 ? joined.where('hw_token_use.status', 'in', statuses) : joined;
  return { from: narrowed as unknown as TokenQuery<{}>, order: { ...plan.sort, column: 'hw_token_use.used_at', tiebreak: 'hw_token_use.token_id' } };
}

const statusesOf = (filter: TokenListQuery): string[] => (filter.status === undefined ? [] : [filter.status].flat());

/**
 * The PostgreSQL planner methods a capped count turns off. It reads at most
 * TOTAL_CAP + 1 matches, and only an index scan stops there: a sequential
 * scan costs what lies in the table before them and a bitmap scan collects
 * every match first. Assuming matches spread evenly, the planner often takes
 * either, but the tokens of a model, a batch or a year are stored together.
 * The trigram index is read by bitmap only; without any filter to index, a
 * sequential scan is the way.
 */
export function countScansOff(filter: TokenListQuery, plan: Plan): ('enable_seqscan' | 'enable_bitmapscan')[] {
  if (plan.dialect !== 'postgres') return [];
  if (searchDrives(filter, plan)) return ['enable_seqscan'];
  return hasIndexedFilter(filter) || filter.assigned !== undefined ? ['enable_seqscan', 'enable_bitmapscan'] : [];
}

/** Filters with an index of their own (free text aside). */
const INDEXED_FILTERS = ['serial', 'status', 'type', 'vendor', 'model', 'user', 'batch'] as const;
const hasIndexedFilter = (filter: TokenListQuery): boolean => INDEXED_FILTERS.some((key) => Boolean(filter[key]));

export function applyFilters<O>(query: TokenQuery<O>, filter: TokenListQuery, plan: Plan): TokenQuery<O> {
  return filterConditions(filter, plan.dialect, searchDrives(filter, plan)).reduce((q, condition) => q.where(condition), query);
}

/**
 * "Assigned" holds for most tokens: beside another filter, the range on
 * holder_id is the worst way in, yet SQLite without statistics takes it for a
 * narrow one (and reads every assigned token to count). The unary plus keeps
 * it from driving there. Alone it keeps its index; "in stock", the few, too.
 */
function holderColumn(filter: TokenListQuery, dialect: Dialect): Expression<unknown> {
  const narrowed = hasIndexedFilter(filter) || Boolean(filter.q);
  return filter.assigned && narrowed ? unindexed('holder_id', dialect) : sql.ref('holder_id');
}

/** The filter's tests, each on its own; with `search`, the trigram index narrows `q` first. */
export function filterConditions(filter: TokenListQuery, dialect: Dialect, search = false): Expression<SqlBool>[] {
  const eb = expressionBuilder<Database, 'hw_tokens'>();
  const conditions: Expression<SqlBool>[] = [];
  if (filter.serial) {
    const [low, high] = prefixRange(filter.serial.toLowerCase());
    conditions.push(eb('serial_lower', '>=', low), eb('serial_lower', '<', high));
  }
  const statuses = statusesOf(filter);
  if (statuses.length === 1) conditions.push(eb('hw_tokens.status', '=', statuses[0]!));
  else if (statuses.length > 1) conditions.push(eb('hw_tokens.status', 'in', statuses));
  if (filter.type) conditions.push(eb('type', '=', filter.type));
  if (filter.vendor) conditions.push(eb(sql<string>`lower(vendor)`, '=', filter.vendor.toLowerCase()));
  if (filter.model) conditions.push(eb(sql<string>`lower(model)`, '=', filter.model.toLowerCase()));
  if (filter.assigned !== undefined) conditions.push(eb(holderColumn(filter, dialect), filter.assigned ? 'is not' : 'is', null));
  if (filter.user) {
    const [low, high] = prefixRange(filter.user.toLowerCase());
    conditions.push(eb('holder_sort', '>=', low), eb('holder_sort', '<', high));
  }
  if (filter.batch) conditions.push(eb('batch_id', '=', filter.batch));
  if (filter.q) conditions.push(freeText(filter.q.toLowerCase(), search ? dialect : undefined));
  return conditions;
}

/**
 * SPEC §6 free text: a case-insensitive substring of the serial, the holder's
 * username or the description. That test decides on both databases; with
 * `index`, a trigram index first narrows the candidates to rows that contain
 * the text somewhere (migration 003), without changing the answer.
 */
function freeText(q: string, index: Dialect | undefined): Expression<SqlBool> {
  const pattern = `%${escapeLike(q)}%`;
  const like = (column: string) => sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
  const exact = sql<SqlBool>`(${like('serial_lower')} or ${like('holder_sort')} or ${like('description_lower')})`;
  if (index === 'postgres') {
    // The expression of the GIN index hw_tokens_search, exactly.
    return sql<SqlBool>`((serial_lower || ' ' || holder_sort || ' ' || coalesce(description_lower, '')) collate "C") like ${pattern} escape '\\' and ${exact}`;
  }
  if (index === 'sqlite') {
    const phrase = `"${q.replace(/"/g, '""')}"`;
    return sql<SqlBool>`rowid in (select rowid from hw_tokens_search where hw_tokens_search match ${phrase}) and ${exact}`;
  }
  return exact;
}

/** Opaque keyset cursor: the last row's sort value and its tiebreak (its id where the sort needs none). */
export function encodeCursor(value: string | number, tiebreak: string, scope?: string): string {
  return Buffer.from(JSON.stringify(scope === undefined ? [value, tiebreak] : [value, tiebreak, scope])).toString('base64url');
}

/**
 * The cursor's sort value and tiebreak. The value must be of the sorted
 * column's kind (a cursor is client input: a text compared with a bigint
 * column fails in PostgreSQL): `number` columns hold epoch milliseconds, safe
 * integers. A cursor made with a `scope` (the token list's sort) is good for
 * that scope only: in another order its position means nothing.
 */
export function decodeCursor(cursor: string, kind: 'number' | 'string', scope?: string): [string | number, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const valid = Array.isArray(parsed) && parsed.length === (scope === undefined ? 2 : 3) && typeof parsed[1] === 'string'
    && (kind === 'number' ? Number.isSafeInteger(parsed[0]) : typeof parsed[0] === 'string');
  if (!valid) throw new AppError('VALIDATION_FAILED', 'cursor is not valid: start again from the first page');
  const [value, tiebreak, madeFor] = parsed as [string | number, string, string?];
  if (madeFor !== scope) throw new AppError('VALIDATION_FAILED', 'cursor belongs to another sort order: start again from the first page');
  return [value, tiebreak];
}

/** What a token-list cursor is good for: the sort it was made in. */
const sortScope = (sort: Sort) => `${sort.descending ? '-' : ''}${sort.column}`;

/** The cursor after `row` in the sort's order. */
export function cursorAfter(row: HwTokensTable, sort: Sort): string {
  return encodeCursor(row[sort.column] as string | number, row[sort.tiebreak ?? 'id'] as string, sortScope(sort));
}

/** The sort value and tiebreak a client's cursor points after. */
export type Position = [string | number, string];

export const cursorPosition = (cursor: string, sort: Sort): Position =>
  decodeCursor(cursor, NUMERIC_COLUMNS.has(sort.column) ? 'number' : 'string', sortScope(sort));

/** Rows after `start` (from the start without it), in `order`. */
export function applyKeyset<O>(query: TokenQuery<O>, order: Order, start: Position | undefined): TokenQuery<O> {
  return applyOrder(start ? query.where(after(order, start)) : query, order);
}

/** Rows after the one whose sort value and tiebreak are `position`, in `order`. */
export function after(order: Order, [value, tiebreak]: Position): Expression<SqlBool> {
  const op = sql.raw(order.descending ? '<' : '>');
  return order.tiebreak
    ? sql<SqlBool>`(${sql.ref(order.column)}, ${sql.ref(order.tiebreak)}) ${op} (${value}, ${tiebreak})`
    : sql<SqlBool>`${sql.ref(order.column)} ${op} ${value}`;
}

export function applyOrder<O>(query: TokenQuery<O>, order: Order): TokenQuery<O> {
  const direction = order.descending ? 'desc' : 'asc';
  const q = query.orderBy(sql.ref(order.column), direction);
  return order.tiebreak ? q.orderBy(sql.ref(order.tiebreak), direction) : q;
}
