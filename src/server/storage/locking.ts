import type { SelectQueryBuilder } from 'kysely';
import type { Dialect } from './db.js';

/**
 * SELECT … FOR UPDATE on PostgreSQL. SQLite has no row locks and needs none:
 * its one connection runs one transaction at a time (the embedded database
 * serves one process).
 */
export function forUpdate<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, dialect: Dialect): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate() : query;
}
