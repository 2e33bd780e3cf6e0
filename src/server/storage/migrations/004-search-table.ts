import { sql, type Kysely } from 'kysely';

/**
 * PostgreSQL: free text `q` moves from a GIN index on hw_tokens to a table of
 * its own, kept by triggers, as SQLite's FTS5 table already was (migration 003).
 *
 * An update that changes any indexed column of a row writes a new entry in
 * every index of the table, and a GIN trigram entry is one per trigram of the
 * serial, the holder and the description. Every accepted OTP updates its
 * token (counter, last use), so the GIN index took about a quarter of the
 * verification path's time on PostgreSQL, for text that verification never
 * changes. Here only an insert, a delete, or a change of those three columns
 * touches the trigrams. SQLite has nothing to do.
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect !== 'postgres') return;
  const text = (row: string) => sql.raw(`${row}.serial_lower || ' ' || ${row}.holder_sort || ' ' || coalesce(${row}.description_lower, '')`);
  await sql`drop index hw_tokens_search`.execute(db);
  await sql`create table hw_tokens_search (id text primary key, text text collate "C" not null)`.execute(db);
  await sql`insert into hw_tokens_search (id, text) select t.id, ${text('t')} from hw_tokens t`.execute(db);
  await sql`create index hw_tokens_search_text on hw_tokens_search using gin (text gin_trgm_ops)`.execute(db);
  // Statistics now: until autovacuum comes by, the planner would take the new table for empty.
  await sql`analyze hw_tokens_search`.execute(db);
  // Inserts and deletes by statement, with their rows as a table: an import
  // of 100,000 tokens is one INSERT … SELECT, not 100,000 trigger calls.
  await trigger(db, 'hw_tokens_search_insert', 'after insert', 'referencing new table as added for each statement',
    sql`insert into hw_tokens_search (id, text) select t.id, ${text('t')} from added t`);
  await trigger(db, 'hw_tokens_search_delete', 'after delete', 'referencing old table as removed for each statement',
    sql`delete from hw_tokens_search s using removed r where s.id = r.id`);
  // A statement trigger with a transition table may not name columns; these
  // changes (assign, unassign, a new description) come one token at a time.
  await trigger(db, 'hw_tokens_search_update', 'after update of serial_lower, holder_sort, description_lower', 'for each row',
    sql`update hw_tokens_search set text = ${text('new')} where id = new.id`);
}

async function trigger(db: Kysely<any>, name: string, event: string, scope: string, body: ReturnType<typeof sql>): Promise<void> {
  await sql`create function ${sql.id(name)}() returns trigger language plpgsql as $body$ begin ${body}; return null; end $body$`.execute(db);
  await sql`create trigger ${sql.id(name)} ${sql.raw(event)} on hw_tokens ${sql.raw(scope)} execute function ${sql.id(name)}()`.execute(db);
}
