import { sql } from 'kysely';
import type { Dialect, Executor, Tx } from '../../storage/db.js';
import { forUpdate } from '../../storage/locking.js';
import type { AuditEventsTable } from '../../storage/schema.js';
import { newId } from '../../lib/ids.js';
import { eventHash, genesisHash, type ChainedFields } from './audit-chain.js';

export type AuditRow = AuditEventsTable;
export type NewAuditEvent = Omit<ChainedFields, 'tenantId' | 'seq'>;

export interface AuditFilter {
  action?: string;
  actor?: string;
  outcome?: string;
  tokenId?: string;
  serial?: string;
  userId?: string;
  username?: string;
  from?: number;
  to?: number;
  /** Keyset: events with seq below this one. */
  beforeSeq?: number;
}

export class AuditRepository {
  constructor(private readonly db: Executor, private readonly dialect: Dialect, private readonly tenantId: string) {}

  async createHead(): Promise<void> {
    await this.db.insertInto('audit_heads').values({ tenant_id: this.tenantId, seq: 0, hash: genesisHash(this.tenantId) }).execute();
  }

  /**
   * Appends one event inside `tx`: the tenant's head row is locked, so events
   * of a tenant form one chain even with many instances writing at once.
   */
  async append(tx: Tx, event: NewAuditEvent): Promise<AuditRow> {
    const head = await forUpdate(tx.selectFrom('audit_heads').select(['seq', 'hash']).where('tenant_id', '=', this.tenantId), this.dialect)
      .executeTakeFirstOrThrow();
    const fields: ChainedFields = { ...event, tenantId: this.tenantId, seq: head.seq + 1 };
    const hash = eventHash(head.hash, fields);
    const row: AuditRow = {
      id: newId(), tenant_id: this.tenantId, seq: fields.seq, at: event.at, actor: event.actor, action: event.action,
      outcome: event.outcome, token_id: event.tokenId, serial: event.serial, user_id: event.userId, username: event.username,
      reason: event.reason, detail: event.detail, prev_hash: head.hash, hash,
    };
    await tx.insertInto('audit_events').values(row).execute();
    await tx.updateTable('audit_heads').set({ seq: fields.seq, hash }).where('tenant_id', '=', this.tenantId).execute();
    return row;
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const head = await this.db.selectFrom('audit_heads').select(['seq', 'hash']).where('tenant_id', '=', this.tenantId).executeTakeFirst();
    return head ?? { seq: 0, hash: genesisHash(this.tenantId) };
  }

  async list(filter: AuditFilter, limit: number): Promise<AuditRow[]> {
    let query = this.db.selectFrom('audit_events').selectAll().where('tenant_id', '=', this.tenantId);
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.actor) query = query.where('actor', '=', filter.actor);
    if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
    if (filter.tokenId) query = query.where('token_id', '=', filter.tokenId);
    if (filter.serial) query = query.where(sql<string>`lower(serial)`, '=', filter.serial.toLowerCase());
    if (filter.userId) query = query.where('user_id', '=', filter.userId);
    if (filter.username) query = query.where(sql<string>`lower(username)`, '=', filter.username.toLowerCase());
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<=', filter.to);
    if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
    return query.orderBy('seq', 'desc').limit(limit).execute();
  }

  /** Events in chain order, a page at a time (for verification of the whole chain). */
  async chainPage(afterSeq: number, limit: number): Promise<AuditRow[]> {
    return this.db.selectFrom('audit_events').selectAll().where('tenant_id', '=', this.tenantId)
      .where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute();
  }
}
