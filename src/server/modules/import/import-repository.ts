import type { ImportBatchQuery } from '../../../contract/tokens.js';
import type { Executor } from '../../storage/db.js';
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
  constructor(private readonly db: Executor, readonly tenantId: string) {}

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

  /** All rows, in multi-row INSERTs sized for the database's variable limit. */
  async insertTokens(rows: readonly TokenRow[]): Promise<void> {
    const first = rows[0];
    if (!first) return;
    const size = insertChunkSize(Object.keys(first).length);
    for (let i = 0; i < rows.length; i += size) {
      await this.db.insertInto('hw_tokens').values(rows.slice(i, i + size)).execute();
    }
  }

  /** The tenant's batches, newest first, a page at a time. */
  async listBatches(query: ImportBatchQuery): Promise<{ rows: ImportBatchRow[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    let select = this.db.selectFrom('import_batches').selectAll().where('tenant_id', '=', this.tenantId);
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      select = select.where((eb) => eb.or([eb('created_at', '<', Number(at)), eb.and([eb('created_at', '=', Number(at)), eb('id', '<', id)])]));
    }
    const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
  }
}
