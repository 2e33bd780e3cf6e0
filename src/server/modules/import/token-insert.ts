import { CompiledQuery } from 'kysely';
import type { Dialect } from '../../storage/db.js';
import type { TokenRow } from '../tokens/token-repository.js';

type Column = keyof TokenRow;

/** Each column of hw_tokens with its PostgreSQL type (as the migrations create it), for the arrays of `unnest`. */
export const POSTGRES_TYPES: { readonly [C in Column]-?: 'text' | 'int4' | 'int8' } = {
  id: 'text', tenant_id: 'text', serial: 'text', serial_lower: 'text', type: 'text', status: 'text',
  vendor: 'text', model: 'text', algorithm: 'text', digits: 'int4', period: 'int4', counter: 'int8',
  drift: 'int4', last_step: 'int8', yubico_public_id: 'text', yubico_use_counter: 'int4',
  yubico_session_counter: 'int4', secret_enc: 'text', key_id: 'text', holder_id: 'text', holder_sort: 'text',
  former_holder_id: 'text', assigned_at: 'int8', fail_count: 'int4', lock_count: 'int4', locked_until: 'int8',
  last_used_at: 'int8', created_at: 'int8', updated_at: 'int8', compromised_at: 'int8', compromise_reason: 'text',
  compromised_by: 'text', batch_id: 'text', description: 'text', description_lower: 'text', version: 'int4',
};
const COLUMNS = Object.keys(POSTGRES_TYPES) as Column[];
const COLUMN_LIST = COLUMNS.map((column) => `"${column}"`).join(', ');

/** SQLite binds at most 32,766 variables per statement. */
const SQLITE_MAX_VARIABLES = 32_766;
const MAX_INSERT_ROWS = 500;
/** Rows per statement: within SQLite's variable limit, and a bounded message for PostgreSQL. */
export const INSERT_ROWS = Math.max(1, Math.min(MAX_INSERT_ROWS, Math.floor(SQLITE_MAX_VARIABLES / COLUMNS.length)));

/**
 * PostgreSQL: one array per column, whatever the number of rows. A multi-row
 * VALUES list of 36 columns × 500 rows made PostgreSQL parse and bind 18,000
 * parameters per statement.
 */
const UNNEST_INSERT = `insert into "hw_tokens" (${COLUMN_LIST}) select * from unnest(${COLUMNS.map((column, i) => `$${i + 1}::${POSTGRES_TYPES[column]}[]`).join(', ')})`;

/** Whether a row that a unique index refuses fails the statement, or is left out of it. */
export type OnTaken = 'fail' | 'skip';
const ON_TAKEN: Record<OnTaken, string> = { fail: '', skip: ' on conflict do nothing' };

/** SQLite: `insert … values (?, …), …` for `rows` rows; the statement of a full chunk is built once. */
const valuesInsert = (() => {
  const build = (rows: number) => `insert into "hw_tokens" (${COLUMN_LIST}) values ${Array.from({ length: rows }, () => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ')}`;
  let full: string | undefined;
  return (rows: number): string => (rows === INSERT_ROWS ? (full ??= build(rows)) : build(rows));
})();

function postgresInsert(rows: readonly TokenRow[], onTaken: OnTaken): CompiledQuery {
  return CompiledQuery.raw(UNNEST_INSERT + ON_TAKEN[onTaken], COLUMNS.map((column) => rows.map((row) => row[column])));
}

function sqliteInsert(rows: readonly TokenRow[], onTaken: OnTaken): CompiledQuery {
  const parameters = new Array<unknown>(rows.length * COLUMNS.length);
  let n = 0;
  for (const row of rows) for (const column of COLUMNS) parameters[n++] = row[column];
  return CompiledQuery.raw(valuesInsert(rows.length) + ON_TAKEN[onTaken], parameters);
}

/**
 * The statements that insert `rows` into hw_tokens, in order, at most
 * INSERT_ROWS rows each. The text is fixed and the values bound as
 * parameters: building a query of 18,000 values node by node cost more than
 * running it.
 */
export function* tokenInserts(dialect: Dialect, rows: readonly TokenRow[], onTaken: OnTaken): Generator<CompiledQuery> {
  const insert = dialect === 'postgres' ? postgresInsert : sqliteInsert;
  for (let start = 0; start < rows.length; start += INSERT_ROWS) yield insert(rows.slice(start, start + INSERT_ROWS), onTaken);
}
