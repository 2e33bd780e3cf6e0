import { sql, type SelectQueryBuilder } from 'kysely';
import type { TokenListQuery } from '../../../contract/tokens.js';
import type { Db, Dialect, Executor } from '../../storage/db.js';
import type { Database } from '../../storage/schema.js';
import {
  accessMatters, after, applyFilters, applyKeyset, applyOrder, countScansOff, cursorAfter, cursorPosition, orderedTokens, parseSort, searchable, tenantColumn,
  unindexed, type Access, type Plan, type TokenQuery,
} from './token-list-query.js';
import { walkInOrder } from './token-list-walk.js';
import { TOTAL_CAP, type TokenRow } from './token-repository.js';

export interface TokenPage {
  rows: TokenRow[];
  nextCursor: string | null;
  total: number;
  totalCapped: boolean;
}

type Count = Pick<TokenPage, 'total' | 'totalCapped'>;
type IdsQuery = SelectQueryBuilder<Database, 'hw_tokens', { id: string }>;

/** At most TOTAL_CAP matches are fetched through the filter; more, along the order (token-list-query.ts). */
export const accessFor = (count: Count): Access => (count.totalCapped ? 'by-order' : 'by-filter');

const capped = (n: number): Count => (n > TOTAL_CAP ? { total: TOTAL_CAP, totalCapped: true } : { total: n, totalCapped: false });

/** The token list of one tenant (SPEC §6): pages of a filter and sort, with the capped total. Never knows about HTTP. */
export class TokenList {
  constructor(private readonly db: Db, private readonly dialect: Dialect, private readonly tenantId: string) {}

  /** One page with its total. Where the way to the rows depends on how many match, the count comes first and chooses it. */
  async page(filter: TokenListQuery): Promise<TokenPage> {
    if (!accessMatters(filter, parseSort(filter.sort))) {
      // Either access gives the same query here.
      const [page, count] = await Promise.all([this.list(filter, 'by-order'), this.countCapped(filter)]);
      return { ...page, ...count };
    }
    if (searchable(filter.q?.toLowerCase(), this.dialect)) return this.searchPage(filter);
    const count = await this.countCapped(filter);
    return { ...(await this.list(filter, accessFor(count))), ...count };
  }

  /** A page (no total) reached the way `access` says. */
  async list(filter: TokenListQuery, access: Access): Promise<Omit<TokenPage, keyof Count>> {
    const plan = this.plan(filter, access);
    const count = (filter.limit ?? 50) + 1;
    const start = filter.cursor ? cursorPosition(filter.cursor, plan.sort) : undefined;
    if (access === 'by-order' && accessMatters(filter, plan.sort)) {
      return this.rowsOf(await walkInOrder(this.db, this.tenantId, { filter, plan, start, count }), filter, plan);
    }
    const { from, order } = orderedTokens(this.db, plan, filter);
    return this.rowsOf(applyKeyset(this.matching(filter, plan, from).select('hw_tokens.id'), order, start).limit(count), filter, plan);
  }

  /** Matches counted exactly up to the cap, so a page stays fast on a million tokens. */
  async countCapped(filter: TokenListQuery): Promise<Count> {
    const plan = this.plan(filter, 'by-filter');
    const off = countScansOff(filter, plan);
    if (off.length === 0) return this.count(this.db, filter, plan);
    return this.db.transaction().execute(async (tx) => {
      await sql`select ${sql.join(off.map((method) => sql`set_config(${method}, 'off', true)`))}`.execute(tx);
      return this.count(tx, filter, plan);
    });
  }

  private async count(db: Executor, filter: TokenListQuery, plan: Plan): Promise<Count> {
    const inner = this.matching(filter, plan, db.selectFrom('hw_tokens')).select(sql<number>`1`.as('one')).limit(TOTAL_CAP + 1);
    const row = await db.selectFrom(inner.as('matches')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return capped(Number(row.n));
  }

  /**
   * Free text: the matches are read through the search index once, counted
   * and, when there are at most TOTAL_CAP, sorted for the page in the same
   * query (each match costs a row read to check the text exactly); more, and
   * the page is walked for along the order.
   */
  private async searchPage(filter: TokenListQuery): Promise<TokenPage> {
    const plan = this.plan(filter, 'by-filter');
    const { ids, matches } = await this.firstMatches(filter, plan);
    const count = matches === undefined ? await this.countCapped(filter) : capped(matches);
    const page = count.totalCapped ? await this.list(filter, 'by-order') : await this.rowsOf(ids, filter, plan);
    return { ...page, ...count };
  }

  /** The page's ids among the first TOTAL_CAP + 1 matches, and how many matched (unknown when the page is empty). */
  private async firstMatches(filter: TokenListQuery, plan: Plan): Promise<{ ids: string[]; matches?: number }> {
    const { sort } = plan;
    const columns = { column: 'value', tiebreak: sort.tiebreak && 'tiebreak', descending: sort.descending };
    const matches = this.matching(filter, plan)
      .select(['id', sql.ref(sort.column).as('value'), sql.ref(sort.tiebreak ?? 'id').as('tiebreak')]).limit(TOTAL_CAP + 1);
    const counted = this.db.selectFrom(matches.as('m')).select(['id', 'value', 'tiebreak', sql<number>`count(*) over ()`.as('n')]);
    let query = this.db.selectFrom(counted.as('w')).select(['id', 'n']).orderBy('value', sort.descending ? 'desc' : 'asc');
    if (sort.tiebreak) query = query.orderBy('tiebreak', sort.descending ? 'desc' : 'asc');
    if (filter.cursor) query = query.where(after(columns, cursorPosition(filter.cursor, sort)));
    const rows = await query.limit((filter.limit ?? 50) + 1).execute();
    return { ids: rows.map((r) => r.id), matches: rows[0] && Number(rows[0].n) };
  }

  /** The whole rows of a page's ids (at most limit + 1, found and sorted first), in the sort's order, and the next cursor. */
  private async rowsOf(ids: readonly string[] | IdsQuery, filter: TokenListQuery, plan: Plan): Promise<Omit<TokenPage, keyof Count>> {
    if (Array.isArray(ids) && ids.length === 0) return { rows: [], nextCursor: null };
    const limit = filter.limit ?? 50;
    const byId = this.db.selectFrom('hw_tokens').selectAll().where('id', 'in', ids).where(unindexed('tenant_id', this.dialect), '=', this.tenantId);
    const rows = await applyOrder(byId, plan.sort).execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { rows: page, nextCursor: rows.length > limit && last ? cursorAfter(last, plan.sort) : null };
  }

  private plan(filter: TokenListQuery, access: Access): Plan {
    return { dialect: this.dialect, access, sort: parseSort(filter.sort) };
  }

  /** The tenant's tokens that match the filter, tested as the plan says. */
  private matching(filter: TokenListQuery, plan: Plan, from: TokenQuery<{}> = this.db.selectFrom('hw_tokens')) {
    return applyFilters(from.where(tenantColumn(filter, plan), '=', this.tenantId), filter, plan);
  }
}
