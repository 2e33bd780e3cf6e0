import { sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * Indexes for the token list on a million tokens (SPEC §6: every filter and
 * sort, with `total`). Each index costs every insert and every update of its
 * columns, so this adds only what the list's two default orders need and drops
 * what it no longer uses.
 *
 * Serials are allocated per model and imports arrive in batches of one model,
 * so a vendor's, a model's, a type's or a batch's tokens lie together in
 * serial order and in creation order: walking the serial or creation index
 * and testing each row finds them late. Each of these filters therefore gets
 * an index in serial order (the API's default sort) and one in creation order
 * (the console's); status and "in stock" had both.
 *
 * - vendor and model filters compare `lower(…)`, which the old column index
 *   (tenant, vendor, model, …) could not serve: replaced by one index per
 *   column and order, on the same expressions.
 * - sorts by status and by type break ties by serial, so (type, serial) serves
 *   both that sort and a type filter; (status, serial) existed. The (status,
 *   id) and (type, id) indexes go.
 * - free text `q` (a substring of serial, holder or description): a trigram
 *   index finds candidates, the query keeps its exact LIKE test. SQLite: an
 *   FTS5 trigram table kept by triggers; PostgreSQL: a pg_trgm GIN index.
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  for (const column of ['vendor', 'model']) {
    await createIndex(db, `hw_tokens_${column}_created`, sql`tenant_id, lower(${sql.id(column)}), created_at, id`);
    await createIndex(db, `hw_tokens_${column}_serial`, sql`tenant_id, lower(${sql.id(column)}), serial_lower`);
  }
  await createIndex(db, 'hw_tokens_type_serial', sql`tenant_id, type, serial_lower`);
  await createIndex(db, 'hw_tokens_batch_serial', sql`tenant_id, batch_id, serial_lower`);
  if (dialect === 'postgres') await createTrigramIndex(db);
  else await createSearchTable(db);
  // Last: on PostgreSQL a dropped index locks out readers of the table until
  // the migration commits, while building one only holds writers back.
  for (const name of ['hw_tokens_vendor', 'hw_tokens_by_type', 'hw_tokens_by_status']) await sql`drop index ${sql.id(name)}`.execute(db);
}

function createIndex(db: Kysely<any>, name: string, columns: RawBuilder<unknown>) {
  return sql`create index ${sql.id(name)} on hw_tokens (${columns})`.execute(db);
}

/**
 * One GIN index over the three searched columns joined: a row whose column
 * contains the text has a joined value that contains it. The expression must
 * stay identical to the list query's (token-list-query.ts).
 */
async function createTrigramIndex(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create index hw_tokens_search on hw_tokens using gin (((serial_lower || ' ' || holder_sort || ' ' || coalesce(description_lower, '')) collate "C") gin_trgm_ops)`.execute(db);
}

/**
 * FTS5 table of trigrams of the lower-case columns, keyed by the token's rowid
 * (VACUUM and the backup API keep rowids). Contentless: it holds only the
 * index; triggers keep it in step, and only changes of these three columns
 * fire them (verification's updates do not).
 */
async function createSearchTable(db: Kysely<any>): Promise<void> {
  const columns = sql`serial_lower, holder_sort, description_lower`;
  await sql`create virtual table hw_tokens_search using fts5(${columns}, content='', contentless_delete=1, tokenize='trigram case_sensitive 1')`.execute(db);
  await sql`insert into hw_tokens_search (rowid, ${columns}) select rowid, ${columns} from hw_tokens`.execute(db);
  const add = sql`insert into hw_tokens_search (rowid, ${columns}) values (new.rowid, new.serial_lower, new.holder_sort, new.description_lower)`;
  const remove = sql`delete from hw_tokens_search where rowid = old.rowid`;
  await sql`create trigger hw_tokens_search_insert after insert on hw_tokens begin ${add}; end`.execute(db);
  await sql`create trigger hw_tokens_search_delete after delete on hw_tokens begin ${remove}; end`.execute(db);
  await sql`create trigger hw_tokens_search_update after update of ${columns} on hw_tokens begin ${remove}; ${add}; end`.execute(db);
}
