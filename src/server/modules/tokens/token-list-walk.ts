import { expressionBuilder, sql } from 'kysely';
import type { TokenListQuery } from '../../../contract/tokens.js';
import type { Executor } from '../../storage/db.js';
import type { Database } from '../../storage/schema.js';
import { after, applyOrder, filterConditions, orderedTokens, type Plan, type Position } from './token-list-query.js';

/**
 * Rows read per window: a dense filter fills a page from the first window, a
 * sparser one gets longer windows; each stays short enough that both databases
 * read it along the sort's index (a long one may make PostgreSQL sort the
 * whole tenant instead).
 */
const WINDOWS = [256, 1024, 4096];

/**
 * The `by-order` access: the ids of the first `count` matching tokens after
 * `start`, in the sort's order, found by reading the tenant's tokens in that
 * order a window at a time and testing each. Used when more than TOTAL_CAP
 * tokens match, so a page takes a few rows per match; the query states the
 * walk, for no planner can tell that a substring test matches that often.
 */
export async function walkInOrder(
  db: Executor, tenantId: string, { filter, plan, start, count }: { filter: TokenListQuery; plan: Plan; start?: Position; count: number },
): Promise<string[]> {
  const hit = expressionBuilder<Database, 'hw_tokens'>().and(filterConditions(filter, plan.dialect));
  const { from, order } = orderedTokens(db, plan, filter);
  const found: string[] = [];
  let position = start;
  for (let window = 0; found.length < count; window++) {
    const size = WINDOWS[Math.min(window, WINDOWS.length - 1)]!;
    const scoped = from.where(sql.ref('hw_tokens.tenant_id'), '=', tenantId);
    const rows = await applyOrder(position ? scoped.where(after(order, position)) : scoped, order)
      .select(['hw_tokens.id', sql.ref<string | number>(order.column).as('value'), sql.ref<string>(order.tiebreak ?? 'hw_tokens.id').as('tiebreak'), hit.as('hit')])
      .limit(size).execute();
    found.push(...rows.filter((row) => Boolean(row.hit)).map((row) => row.id));
    const last = rows.at(-1);
    if (!last || rows.length < size) break;
    position = [last.value, last.tiebreak];
  }
  return found.slice(0, count);
}
