import { sql, type RawBuilder } from 'kysely';

/**
 * Rows sent to PostgreSQL as parallel arrays, one per column: `unnest` zips
 * them back into rows. One parameter per column whatever the number of rows,
 * so a prepared statement keeps one text (and one plan) for any batch size.
 */
export type ColumnArrays<R> = { [C in keyof R]: R[C][] };

/** Each column's PostgreSQL type, in the order the rows' columns come out of `unnest`. */
export type ColumnTypes<R> = { readonly [C in keyof R]-?: string };

export function columnArrays<R extends object>(rows: readonly R[], types: ColumnTypes<R>): ColumnArrays<R> {
  return Object.fromEntries(Object.keys(types).map((column) => [column, rows.map((row) => row[column as keyof R])])) as ColumnArrays<R>;
}

/**
 * `unnest($a::type[], $b::type[], …) as zipped(a, b, …)`: the rows of the
 * arrays that `param` names, as a FROM item whose columns bear their names.
 */
export function unnestColumns<R>(types: ColumnTypes<R>, param: <C extends keyof R & string>(column: C) => R[C][]): RawBuilder<R> {
  const columns = Object.keys(types) as (keyof R & string)[];
  const arrays = sql.join(columns.map((column) => sql`${param(column)}::${sql.raw(types[column])}[]`));
  return sql<R>`unnest(${arrays}) as zipped(${sql.join(columns.map((column) => sql.id(column)))})`;
}
