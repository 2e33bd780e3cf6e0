import { sql, type SelectQueryBuilder } from 'kysely';
import type { TokenListQuery, TokenSortKey } from '../../../contract/tokens.js';
import type { Database, HwTokensTable } from '../../storage/schema.js';
import { AppError } from '../../lib/app-error.js';

type TokenQuery<O> = SelectQueryBuilder<Database, 'hw_tokens', O>;

/** Sort keys of the API and the NOT NULL column each sorts by (keyset paging needs no NULLs). */
const SORT_COLUMNS: Record<TokenSortKey, keyof HwTokensTable & string> = {
  serial: 'serial_lower',
  status: 'status',
  type: 'type',
  createdAt: 'created_at',
  lastUsedAt: 'last_used_at',
  holder: 'holder_sort',
};

/** Sort columns of epoch milliseconds; the others are text. */
const NUMERIC_COLUMNS = new Set<string>(['created_at', 'last_used_at']);

export interface Sort {
  column: keyof HwTokensTable & string;
  descending: boolean;
}

export function parseSort(value: string | undefined): Sort {
  const key = (value ?? 'serial').replace(/^-/, '') as TokenSortKey;
  return { column: SORT_COLUMNS[key], descending: value?.startsWith('-') ?? false };
}

/**
 * A prefix as a half-open range on a bytewise-collated column, so both
 * databases answer it from an index (LIKE 'x%' does not on every collation).
 */
export function prefixRange(prefix: string): [string, string] {
  const last = prefix.codePointAt(prefix.length - 1)!;
  return [prefix, prefix.slice(0, prefix.length - String.fromCodePoint(last).length) + String.fromCodePoint(last + 1)];
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function applyFilters<O>(query: TokenQuery<O>, filter: TokenListQuery): TokenQuery<O> {
  let q = query;
  if (filter.serial) {
    const [low, high] = prefixRange(filter.serial.toLowerCase());
    q = q.where('serial_lower', '>=', low).where('serial_lower', '<', high);
  }
  const statuses = filter.status === undefined ? [] : [filter.status].flat();
  if (statuses.length === 1) q = q.where('status', '=', statuses[0]!);
  else if (statuses.length > 1) q = q.where('status', 'in', statuses);
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.vendor) q = q.where(sql<string>`lower(vendor)`, '=', filter.vendor.toLowerCase());
  if (filter.model) q = q.where(sql<string>`lower(model)`, '=', filter.model.toLowerCase());
  if (filter.assigned !== undefined) q = q.where('holder_id', filter.assigned ? 'is not' : 'is', null);
  if (filter.user) {
    const [low, high] = prefixRange(filter.user.toLowerCase());
    q = q.where('holder_sort', '>=', low).where('holder_sort', '<', high);
  }
  if (filter.batch) q = q.where('batch_id', '=', filter.batch);
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q.toLowerCase())}%`;
    q = q.where((eb) => eb.or([
      eb('serial_lower', 'like', sql<string>`${pattern} escape '\\'`),
      eb('holder_sort', 'like', sql<string>`${pattern} escape '\\'`),
      eb('description_lower', 'like', sql<string>`${pattern} escape '\\'`),
    ]));
  }
  return q;
}

/** Opaque keyset cursor: the last row's sort value and id. */
export function encodeCursor(value: string | number, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

/**
 * The cursor's sort value and id. The value must be of the sorted column's
 * kind (a cursor is client input: a text compared with a bigint column fails
 * in PostgreSQL): `number` columns hold epoch milliseconds, safe integers.
 */
export function decodeCursor(cursor: string, kind: 'number' | 'string'): [string | number, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const value = Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string' ? parsed[0] : undefined;
    if (kind === 'number' ? Number.isSafeInteger(value) : typeof value === 'string') {
      return [value as string | number, (parsed as [unknown, string])[1]];
    }
  } catch {
    // fall through to the validation error
  }
  throw new AppError('VALIDATION_FAILED', 'cursor is not valid: start again from the first page');
}

export function applyKeyset<O>(query: TokenQuery<O>, sort: Sort, cursor: string | undefined): TokenQuery<O> {
  let q = query;
  // Serials are unique in a tenant: the serial alone orders the page, and the
  // unique (tenant_id, serial_lower) index serves it.
  const unique = sort.column === 'serial_lower';
  const op = sql.raw(sort.descending ? '<' : '>');
  if (cursor) {
    const [value, id] = decodeCursor(cursor, NUMERIC_COLUMNS.has(sort.column) ? 'number' : 'string');
    q = unique
      ? q.where(sql<boolean>`${sql.ref(sort.column)} ${op} ${value}`)
      : q.where(sql<boolean>`(${sql.ref(sort.column)}, id) ${op} (${value}, ${id})`);
  }
  const direction = sort.descending ? 'desc' : 'asc';
  q = q.orderBy(sort.column, direction);
  return unique ? q : q.orderBy('id', direction);
}
