import { sql, type SqlBool } from 'kysely';
import { lowerCaseOf, type Dialect, type Executor } from '../../storage/db.js';
import type { UsersTable } from '../../storage/schema.js';
import { escapeLike, prefixRange } from '../tokens/token-list-query.js';

export type UserRow = UsersTable;
/** What the user list searches for; `dialect` picks a lower case that folds beyond ASCII (see lowerCaseOf). */
export type UserSearch = { q?: string; dialect: Dialect };

/** Users of one tenant. */
export class UserRepository {
  constructor(private readonly db: Executor, readonly tenantId: string) {}

  private scoped() {
    return this.db.selectFrom('users').where('tenant_id', '=', this.tenantId);
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.scoped().selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.scoped().selectAll().where('username_lower', '=', username.toLowerCase()).executeTakeFirst();
  }

  async byIds(ids: string[]): Promise<Map<string, UserRow>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.scoped().selectAll().where('id', 'in', unique).execute();
    return new Map(rows.map((row) => [row.id, row]));
  }

  async insert(row: UserRow): Promise<void> {
    await this.db.insertInto('users').values(row).execute();
  }

  /** Username prefix, display-name substring or e-mail prefix, ordered by username (keyset on it). */
  list(search: UserSearch, options: { afterUsername?: string; limit: number }): Promise<(UserRow & { active_tokens: number; token_count: number })[]> {
    let query = this.matching(search).selectAll('users')
      .select((eb) => [
        eb.selectFrom('hw_tokens').select(eb.fn.countAll<number>().as('n')).where('hw_tokens.tenant_id', '=', this.tenantId).whereRef('hw_tokens.holder_id', '=', 'users.id')
          .where('hw_tokens.status', '=', 'active').as('active_tokens'),
        eb.selectFrom('hw_tokens').select(eb.fn.countAll<number>().as('n')).where('hw_tokens.tenant_id', '=', this.tenantId).whereRef('hw_tokens.holder_id', '=', 'users.id').as('token_count'),
      ]);
    if (options.afterUsername) query = query.where('username_lower', '>', options.afterUsername);
    return query.orderBy('username_lower').limit(options.limit).execute() as never;
  }

  /** Matches counted exactly up to `cap`. */
  async countCapped(search: UserSearch, cap: number): Promise<number> {
    const inner = this.matching(search).select(sql<number>`1`.as('one')).limit(cap + 1);
    const row = await this.db.selectFrom(inner.as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  private matching({ q, dialect }: UserSearch) {
    const query = this.scoped();
    if (!q) return query;
    const text = q.toLowerCase();
    const [low, high] = prefixRange(text);
    const literal = escapeLike(text);
    const like = (column: 'display_name' | 'email', pattern: string) => sql<SqlBool>`${lowerCaseOf(dialect, column)} like ${pattern} escape '\\'`;
    return query.where((eb) => eb.or([
      eb.and([eb('username_lower', '>=', low), eb('username_lower', '<', high)]),
      like('display_name', `%${literal}%`),
      like('email', `${literal}%`),
    ]));
  }

  /** Locks the user's row: rules that span a user's tokens serialise on it. */
  async lock(id: string): Promise<void> {
    await this.db.updateTable('users').set({ id }).where('tenant_id', '=', this.tenantId).where('id', '=', id).execute();
  }
}
