import type { ImportBatchQuery } from '../../../contract/tokens.js';
import { CompiledQuery } from 'kysely';
import type { Dialect, Executor } from '../../storage/db.js';
import type { ImportBatchesTable } from '../../storage/schema.js';
import { decodeCursor, encodeCursor } from '../tokens/token-list-query.js';
import type { TokenRow } from '../tokens/token-repository.js';

export type ImportBatchRow = ImportBatchesTable;

/** Values in one `IN (…)` look-up. */
export const LOOKUP_CHUNK = 500;
/** SQLite binds at most 32,766 variables per statement; a token row has ~37 columns. */
const SQLITE_MAX_VARIABLES = 32_766;
const MAX_INSERT_ROWS = 500;

/** Rows in one multi-row INSERT of `columns` columns, within SQLite's variable limit. */
export const insertChunkSize = (columns: number): number => Math.max(1, Math.min(MAX_INSERT_ROWS, Math.floor(SQLITE_MAX_VARIABLES / columns)));

/** The tables a seed-file import reads and writes, scoped to one tenant. */
export class ImportRepository {
  constructor(private readonly db: Executor, private readonly dialect: Dialect, readonly tenantId: string) {}

  /** Of these Yubico public ids, those a token of the tenant already has. */
  async existingPublicIds(publicIds: string[]): Promise<string[]> {
    if (publicIds.length === 0) return [];
    const rows = await this.db.selectFrom('hw_tokens').select('yubico_public_id')
      .where('tenant_id', '=', this.tenantId).where('yubico_public_id', 'in', publicIds).execute();
    return rows.flatMap((r) => (r.yubico_public_id === null ? [] : [r.yubico_public_id]));
  }

  /** Users of the tenant by lower-case username. */
  async usersByUsername(usernamesLower: string[]): Promise<{ id: string; username: string; username_lower: string }[]> {
    if (usernamesLower.length === 0) return [];
    return this.db.selectFrom('users').select(['id', 'username', 'username_lower'])
      .where('tenant_id', '=', this.tenantId).where('username_lower', 'in', usernamesLower).execute();
  }

  async insertBatch(row: ImportBatchRow): Promise<void> {
    await this.db.insertInto('import_batches').values(row).execute();
  }

  /**
   * All rows, in multi-row INSERTs sized for the database's variable limit.
   * The statement text is built once per chunk size and the values bound as
   * parameters: building a query of 18,000 values node by node cost more than
   * running it. Rows go in the order of their (random) ids: most indexes end
   * in the id, so each index page is then visited once, in order, instead of
   * at random (four times less work for SQLite on 100,000 rows).
   */
  async insertTokens(unordered: readonly TokenRow[]): Promise<void> {
    const rows = [...unordered].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const first = rows[0];
    if (!first) return;
    const columns = Object.keys(first) as (keyof TokenRow)[];
    const size = insertChunkSize(columns.length);
    const statements = new Map<number, string>();
    for (let start = 0; start < rows.length; start += size) {
      const chunk = rows.slice(start, start + size);
      let text = statements.get(chunk.length);
      if (!text) {
        text = insertStatement(this.dialect, columns, chunk.length);
        statements.set(chunk.length, text);
      }
      const parameters = new Array<unknown>(chunk.length * columns.length);
      let n = 0;
      for (const row of chunk) for (const column of columns) parameters[n++] = row[column];
      await this.db.executeQuery(CompiledQuery.raw(text, parameters));
    }
  }

  /** The tenant's batches, newest first, a page at a time. */
  async listBatches(query: ImportBatchQuery): Promise<{ rows: ImportBatchRow[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    let select = this.db.selectFrom('import_batches').selectAll().where('tenant_id', '=', this.tenantId);
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, 'number');
      select = select.where((eb) => eb.or([eb('created_at', '<', Number(at)), eb.and([eb('created_at', '=', Number(at)), eb('id', '<', id)])]));
    }
    const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
  }
}

/** `insert into hw_tokens (…) values (…), …` for `rows` rows, with the dialect's placeholders. */
function insertStatement(dialect: Dialect, columns: readonly string[], rows: number): string {
  const tuples: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const marks = columns.map(() => (dialect === 'postgres' ? `$${++n}` : '?'));
    tuples.push(`(${marks.join(', ')})`);
  }
  return `insert into "hw_tokens" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')}`;
}
