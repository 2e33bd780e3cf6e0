import type { CreateUserBody, User, UserListQuery, UserWithTokens } from '../../../contract/directory.js';
import { AppError, assertThat } from '../../lib/app-error.js';
import type { TenantContext } from '../../lib/context.js';
import { newId } from '../../lib/ids.js';
import { iso } from '../../lib/time.js';
import { assertReadableName, assertReadableUsername } from '../../lib/usernames.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { auditAlone, auditIn } from '../audit/audit-log.js';
import { TOTAL_CAP, TokenRepository } from '../tokens/token-repository.js';
import { tokensJson } from '../tokens/token-view.js';
import { UserRepository, type UserRow } from './user-repository.js';

type UserPage = { items: User[]; nextCursor: string | null; total: number; totalCapped: boolean };

const userJson = (row: UserRow, counts: { active: number; total: number }): User => ({
  id: row.id, username: row.username, displayName: row.display_name, email: row.email, externalId: row.external_id,
  createdAt: iso(row.created_at), activeTokens: counts.active, tokenCount: counts.total,
});

/** The users of a tenant, who hold tokens. */
export class UserDirectory {
  constructor(private readonly ctx: TenantContext) {}

  private get repo(): UserRepository {
    return new UserRepository(this.ctx.storage.db, this.ctx.tenant.id);
  }

  async list(query: UserListQuery): Promise<UserPage> {
    const limit = query.limit ?? 50;
    const search = { q: query.q, dialect: this.ctx.storage.dialect };
    const [rows, total] = await Promise.all([
      this.repo.list(search, { afterUsername: query.cursor, limit: limit + 1 }),
      this.repo.countCapped(search, TOTAL_CAP),
    ]);
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => userJson(r, { active: Number(r.active_tokens), total: Number(r.token_count) })),
      nextCursor: rows.length > limit ? page.at(-1)!.username_lower : null,
      total: Math.min(total, TOTAL_CAP),
      totalCapped: total > TOTAL_CAP,
    };
  }

  async get(ref: string): Promise<UserWithTokens> {
    const user = (await this.repo.findById(ref)) ?? (await this.repo.findByUsername(ref));
    assertThat(user, 'NOT_FOUND', 'No such user in this tenant.');
    const rows = await new TokenRepository(this.ctx.storage.db, this.ctx.storage.dialect, this.ctx.tenant.id).ofUser(user.id);
    const tokens = await tokensJson(this.ctx.storage.db, this.ctx.tenant.id, rows, this.ctx.clock.now());
    const held = tokens.filter((t) => t.holder?.id === user.id);
    return { ...userJson(user, { active: held.filter((t) => t.status === 'active').length, total: held.length }), tokens };
  }

  async create(body: CreateUserBody): Promise<User> {
    assertReadableUsername(body.username);
    assertReadableName(body.displayName, 'displayName');
    const row: UserRow = {
      id: newId(), tenant_id: this.ctx.tenant.id, username: body.username, username_lower: body.username.toLowerCase(),
      display_name: body.displayName ?? null, email: body.email ?? null, external_id: body.externalId ?? null, created_at: this.ctx.clock.now(),
    };
    try {
      await this.ctx.storage.db.transaction().execute(async (tx) => {
        await new UserRepository(tx, this.ctx.tenant.id).insert(row);
        await auditIn(this.ctx, tx, { action: 'user.create', userId: row.id, username: row.username });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const conflict = new AppError('CONFLICT', `A user named ${body.username} already exists.`);
      await auditAlone(this.ctx, { action: 'user.create', username: body.username, detail: `${conflict.code}: ${conflict.message}` }, 'refused');
      throw conflict;
    }
    return userJson(row, { active: 0, total: 0 });
  }
}
