import type { ImportBatchQuery } from '../../../contract/tokens.js';
import type { Dialect, Executor } from '../../storage/db.js';
import type { ImportBatchesTable } from '../../storage/schema.js';
import { decodeCursor, encodeCursor } from '../tokens/token-list-query.js';
import { TokenRepository, type TokenRow } from '../tokens/token-repository.js';
import { tokenInserts } from './token-insert.js';

export type ImportBatchRow = ImportBatchesTable;

/** Values in one `IN (…)` look-up. */
export const LOOKUP_CHUNK = 500;

/** The tables a seed-file import reads and writes, scoped to one tenant. */
export class ImportRepository {
  constructor(private readonly db: Executor, private readonly dialect: Dialect, readonly tenantId: string) {}

  /** Users of the tenant by lower-case username. */
  async usersByUsername(usernamesLower: string[]): Promise<{ id: string; username: string; username_lower: string }[]> {
    if (usernamesLower.length === 0) return [];
    return this.db.selectFrom('users').select(['id', 'username', 'username_lower'])
      .where('tenant_id', '=', this.tenantId).where('username_lower', 'in', usernamesLower).execute();
  }

  /** The tokens of a batch that the file assigned, with their holders, in serial order. */
  assignedInBatch(batchId: string): Promise<{ id: string; serial: string; holder_id: string; username: string }[]> {
    return this.db.selectFrom('hw_tokens').innerJoin('users', 'users.id', 'hw_tokens.holder_id')
      .select(['hw_tokens.id', 'hw_tokens.serial', 'users.id as holder_id', 'users.username'])
      .where('hw_tokens.tenant_id', '=', this.tenantId).where('hw_tokens.batch_id', '=', batchId)
      .orderBy('hw_tokens.serial_lower').execute();
  }

  async insertBatch(row: ImportBatchRow): Promise<void> {
    await this.db.insertInto('import_batches').values(row).execute();
  }

  /**
   * All rows, a few hundred per statement (token-insert.ts), or a unique
   * violation. Ids are time-ordered, so rows made in file order reach the
   * primary key and every index that ends in the id at its right-hand end,
   * page after page.
   */
  async insertTokens(rows: readonly TokenRow[]): Promise<void> {
    for (const query of tokenInserts(this.dialect, rows, 'fail')) await this.db.executeQuery(query);
  }

  /**
   * Inserts the rows whose serial and public id no token of the tenant has:
   * the unique indexes check them as they take the rows, with no look-up
   * beforehand. Resolves with the ids of the rows left out.
   */
  async insertUntaken(rows: readonly TokenRow[]): Promise<Set<string>> {
    let inserted = 0;
    for (const query of tokenInserts(this.dialect, rows, 'skip')) inserted += Number((await this.db.executeQuery(query)).numAffectedRows ?? 0);
    if (inserted === rows.length) return new Set();
    const stored = new Set<string>();
    for (let start = 0; start < rows.length; start += LOOKUP_CHUNK) {
      const ids = rows.slice(start, start + LOOKUP_CHUNK).map((row) => row.id);
      for (const { id } of await this.db.selectFrom('hw_tokens').select('id').where('id', 'in', ids).execute()) stored.add(id);
    }
    return new Set(rows.filter((row) => !stored.has(row.id)).map((row) => row.id));
  }

  /** Of these rows' serials (lower case) and public ids, those that a token of the tenant already has. */
  async takenKeys(rows: readonly TokenRow[]): Promise<{ serials: Set<string>; publicIds: Set<string> }> {
    const tokens = new TokenRepository(this.db, this.dialect, this.tenantId);
    const publicIds = rows.flatMap((row) => (row.yubico_public_id ? [row.yubico_public_id] : []));
    return {
      serials: new Set(await tokens.existingSerials(rows.map((row) => row.serial_lower))),
      publicIds: new Set(await this.existingPublicIds(publicIds)),
    };
  }

  /** Of these Yubico public ids, those a token of the tenant already has. */
  private async existingPublicIds(publicIds: string[]): Promise<string[]> {
    if (publicIds.length === 0) return [];
    const rows = await this.db.selectFrom('hw_tokens').select('yubico_public_id')
      .where('tenant_id', '=', this.tenantId).where('yubico_public_id', 'in', publicIds).execute();
    return rows.flatMap((r) => (r.yubico_public_id === null ? [] : [r.yubico_public_id]));
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
