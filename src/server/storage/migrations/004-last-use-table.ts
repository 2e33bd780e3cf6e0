import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/** The copy of the tokens in `source` (a table or a trigger's transition table). */
const copyOf = (source: string) =>
  sql`insert into hw_token_use (token_id, tenant_id, status, used_at) select id, tenant_id, status, last_used_at from ${sql.raw(source)}`;

/**
 * PostgreSQL: the order of last use moves out of `hw_tokens` into a narrow
 * table of its own, so that an accepted OTP's update of a token is a HOT
 * update. PostgreSQL writes a new version of a row into every index of its
 * table unless no indexed column changed and the page has room (heap-only
 * tuple); `last_used_at` changes on every accepted OTP, and its index made
 * each verification write into all of the table's indexes (twenty-odd, for the
 * list's filters and sorts). Now only the three of `hw_token_use` are written.
 *
 * `hw_tokens.last_used_at` stays the value the service reads and writes;
 * statement-level triggers copy it into `hw_token_use` in the same
 * transaction, whichever statement inserts or updates tokens. Only the list's
 * walk along the order of last use reads the copy (token-list-query.ts). The
 * status is copied too: a status filter in that order, such as the disabled
 * tokens used last, is a range of the copy's index instead of a walk past
 * every token used since.
 * Pages are left 30 % free, so that the new version fits beside the old one
 * also when a group of verifications updates several tokens of a page (the
 * README weighs this against the larger table).
 *
 * SQLite has no such cost (an update rewrites only the indexes whose columns
 * change) and keeps its index on `hw_tokens`.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`create table hw_token_use (
    token_id text primary key references hw_tokens (id) on delete cascade,
    tenant_id text not null,
    status text not null,
    used_at bigint not null)`.execute(db);
  await sql`create function hw_token_use_insert() returns trigger language plpgsql as $$
    begin
      ${copyOf('added')};
      return null;
    end $$`.execute(db);
  await sql`create function hw_token_use_update() returns trigger language plpgsql as $$
    begin
      update hw_token_use u set status = changed.status, used_at = changed.last_used_at from changed
        where u.token_id = changed.id and (u.status <> changed.status or u.used_at <> changed.last_used_at);
      return null;
    end $$`.execute(db);
  await sql`create trigger hw_token_use_insert after insert on hw_tokens
    referencing new table as added for each statement execute function hw_token_use_insert()`.execute(db);
  await sql`create trigger hw_token_use_update after update on hw_tokens
    referencing new table as changed for each statement execute function hw_token_use_update()`.execute(db);
  // After the triggers, which lock out writers of hw_tokens until the
  // migration commits: instances still serving cannot change a token between
  // the copy and the triggers.
  await copyOf('hw_tokens').execute(db);
  await sql`create index hw_token_use_order on hw_token_use (tenant_id, used_at, token_id)`.execute(db);
  await sql`create index hw_token_use_status_order on hw_token_use (tenant_id, status, used_at, token_id)`.execute(db);
  await sql`drop index hw_tokens_by_last_used_at`.execute(db);
  await sql`alter table hw_tokens set (fillfactor = 70)`.execute(db);
}
