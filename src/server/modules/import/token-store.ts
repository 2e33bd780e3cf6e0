import type { ControlledTransaction } from 'kysely';
import type { TenantContext } from '../../lib/context.js';
import type { Database } from '../../storage/schema.js';
import type { Executor } from '../../storage/db.js';
import type { Tx } from '../../storage/db.js';
import { auditEvent, type AuditEntry } from '../audit/audit-log.js';
import { AuditRepository } from '../audit/audit-repository.js';
import type { TokenRow } from '../tokens/token-repository.js';
import { ImportRepository, type ImportBatchRow } from './import-repository.js';

/**
 * Where the rows of an import go while the file is read: all of them land,
 * with the batch and its audit event, when `finish` succeeds, or none.
 */
export interface TokenStore {
  /** What the checks of each chunk read: the database or the import's open transaction. */
  readonly executor: Executor;
  /**
   * Takes a chunk of rows; resolves with the ids of those whose serial or
   * public id a token of the tenant already has, which it leaves out (an
   * import never overwrites key material; the file will be refused).
   */
  store(rows: TokenRow[]): Promise<Set<string>>;
  /** Stores the batch and the audit event, and makes everything visible. */
  finish(batch: ImportBatchRow, audit: AuditEntry): Promise<void>;
  /** Discards everything stored (harmless when already finished or abandoned). */
  abandon(): Promise<void>;
}

/**
 * SQLite: one connection serves the whole process, so no transaction may stay
 * open while a file uploads. The rows wait in memory and go in at the end,
 * in one transaction.
 */
class RetainingStore implements TokenStore {
  private rows: TokenRow[] = [];

  constructor(private readonly ctx: TenantContext) {}

  get executor(): Executor {
    return this.ctx.storage.db;
  }

  async store(rows: TokenRow[]): Promise<Set<string>> {
    const { serials, publicIds } = await this.repository(this.executor).takenKeys(rows);
    const taken = new Set<string>();
    for (const row of rows) {
      if (serials.has(row.serial_lower) || (row.yubico_public_id !== null && publicIds.has(row.yubico_public_id))) taken.add(row.id);
      else this.rows.push(row);
    }
    return taken;
  }

  async finish(batch: ImportBatchRow, audit: AuditEntry): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    await this.ctx.storage.db.transaction().execute(async (tx) => {
      const repo = this.repository(tx);
      await repo.insertBatch(batch);
      await repo.insertTokens(rows);
      await recordImport(this.ctx, tx, batch.id, audit);
    });
  }

  async abandon(): Promise<void> {
    this.rows = [];
  }

  private repository(db: Executor): ImportRepository {
    return new ImportRepository(db, this.ctx.storage.dialect, this.ctx.tenant.id);
  }
}

/**
 * PostgreSQL: the import's own transaction takes each chunk as it is read, so
 * that the database indexes rows while the server parses the next ones, and
 * memory holds one chunk. The unique indexes find a serial or public id
 * already taken as they take the rows: a look-up beforehand, planned before
 * the table has statistics, scanned all of the tenant's rows for each chunk
 * (2 of the 6 s of a 100,000-key import). Nothing is visible to others
 * before `finish`.
 */
class StreamingStore implements TokenStore {
  private constructor(private readonly ctx: TenantContext, private readonly trx: ControlledTransaction<Database>) {}

  static async open(ctx: TenantContext): Promise<StreamingStore> {
    return new StreamingStore(ctx, await ctx.storage.db.startTransaction().execute());
  }

  get executor(): Executor {
    return this.trx;
  }

  store(rows: TokenRow[]): Promise<Set<string>> {
    return new ImportRepository(this.trx, this.ctx.storage.dialect, this.ctx.tenant.id).insertUntaken(rows);
  }

  async finish(batch: ImportBatchRow, audit: AuditEntry): Promise<void> {
    await new ImportRepository(this.trx, this.ctx.storage.dialect, this.ctx.tenant.id).insertBatch(batch);
    await recordImport(this.ctx, this.trx, batch.id, audit);
    await this.trx.commit().execute();
  }

  async abandon(): Promise<void> {
    if (this.trx.isCommitted || this.trx.isRolledBack) return;
    try {
      await this.trx.rollback().execute();
    } catch {
      // A lost connection rolls back by itself; the error that brought us here is the one to report.
    }
  }
}

/**
 * The import's event, then one assignment event for each token the file
 * assigned: the token's and the user's histories show how they met.
 */
async function recordImport(ctx: TenantContext, tx: Tx, batchId: string, audit: AuditEntry): Promise<void> {
  const assigned = await new ImportRepository(tx, ctx.storage.dialect, ctx.tenant.id).assignedInBatch(batchId);
  const assignments = assigned.map((token) => auditEvent(ctx, {
    action: 'assign', tokenId: token.id, serial: token.serial, userId: token.holder_id, username: token.username, detail: `by the import of batch ${batchId}`,
  }, 'success'));
  await new AuditRepository(tx, ctx.storage.dialect, ctx.tenant.id).appendAll(tx, [auditEvent(ctx, audit, 'success'), ...assignments]);
}

export function openTokenStore(ctx: TenantContext): Promise<TokenStore> {
  return ctx.storage.dialect === 'postgres' ? StreamingStore.open(ctx) : Promise.resolve(new RetainingStore(ctx));
}
