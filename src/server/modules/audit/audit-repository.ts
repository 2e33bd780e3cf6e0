import { sql } from 'kysely';
import { lowerCaseOf, type Dialect, type Executor, type Tx } from '../../storage/db.js';
import { columnArrays, unnestColumns, type ColumnArrays, type ColumnTypes } from '../../storage/column-arrays.js';
import { forUpdate } from '../../storage/locking.js';
import { PreparedQuery } from '../../storage/prepared.js';
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

/** Rows per PostgreSQL INSERT: a bounded message however many events a call appends. */
const INSERT_CHUNK = 500;

type HeadParams = { tenantId: string };
/** The head, locked until the transaction ends (see forUpdate). */
const lockedHead = new PreparedQuery<HeadParams, { seq: number; hash: string }>((db, p, dialect) =>
  forUpdate(db.selectFrom('audit_heads').select(['seq', 'hash']).where('tenant_id', '=', p('tenantId')), dialect));
type Head = HeadParams & { seq: number; hash: string };
const moveHead = new PreparedQuery<Head, never>((db, p) =>
  db.updateTable('audit_heads').set({ seq: p('seq'), hash: p('hash') }).where('tenant_id', '=', p('tenantId')));

/** Each column of audit_events with its PostgreSQL type. */
const POSTGRES_TYPES: ColumnTypes<AuditRow> = {
  id: 'text', tenant_id: 'text', seq: 'int8', at: 'int8', actor: 'text', action: 'text', outcome: 'text',
  token_id: 'text', serial: 'text', user_id: 'text', username: 'text', reason: 'text', detail: 'text',
  prev_hash: 'text', hash: 'text',
};
const COLUMNS = Object.keys(POSTGRES_TYPES) as (keyof AuditRow)[];
/** An event's row as named parameters (a mapped copy of AuditRow: an interface is no Record<string, unknown>). */
type EventParams = { [C in keyof AuditRow]: AuditRow[C] };
type EventColumns = ColumnArrays<AuditRow>;

/** SQLite runs statements in process: one prepared single-row INSERT per event costs no round trip. */
const insertEvent = new PreparedQuery<EventParams, never>((db, p) =>
  db.insertInto('audit_events').values(Object.fromEntries(COLUMNS.map((column) => [column, p(column)])) as unknown as EventParams));

/**
 * PostgreSQL: the events as column arrays (see column-arrays.ts); a VALUES
 * list would be a new statement of 15 parameters per row for every group size.
 */
const eventsFromArrays = (p: <C extends keyof EventColumns & string>(name: C) => EventColumns[C]) =>
  sql<AuditRow>`select * from ${unnestColumns(POSTGRES_TYPES, p)}`;
const insertEvents = new PreparedQuery<EventColumns, never>((db, p) =>
  db.insertInto('audit_events').columns(COLUMNS).expression(eventsFromArrays(p)));
/** The last events and the head's move in one round trip. */
const insertEventsMovingHead = new PreparedQuery<EventColumns & { headTenantId: string; headSeq: number; headHash: string }, never>((db, p) =>
  db.with('moved_head', (cte) => cte.updateTable('audit_heads').set({ seq: p('headSeq'), hash: p('headHash') })
    .where('tenant_id', '=', p('headTenantId')))
    .insertInto('audit_events').columns(COLUMNS).expression(eventsFromArrays(p)));

/** Stores chained events and moves the tenant's head to `head`, inside the caller's transaction. */
type EventStore = (tx: Tx, rows: AuditRow[], head: Head) => Promise<void>;

const EVENT_STORES: Record<Dialect, EventStore> = {
  async sqlite(tx, rows, head) {
    for (const row of rows) await insertEvent.execute(tx, 'sqlite', row);
    await moveHead.execute(tx, 'sqlite', head);
  },
  async postgres(tx, rows, head) {
    const lastChunk = Math.floor((rows.length - 1) / INSERT_CHUNK) * INSERT_CHUNK;
    for (let i = 0; i < lastChunk; i += INSERT_CHUNK) {
      await insertEvents.execute(tx, 'postgres', columnArrays(rows.slice(i, i + INSERT_CHUNK), POSTGRES_TYPES));
    }
    await insertEventsMovingHead.execute(tx, 'postgres', {
      ...columnArrays(rows.slice(lastChunk), POSTGRES_TYPES), headTenantId: head.tenantId, headSeq: head.seq, headHash: head.hash,
    });
  },
};

export class AuditRepository {
  constructor(private readonly db: Executor, private readonly dialect: Dialect, private readonly tenantId: string) {}

  async createHead(): Promise<void> {
    await this.db.insertInto('audit_heads').values({ tenant_id: this.tenantId, seq: 0, hash: genesisHash(this.tenantId) }).execute();
  }

  /** Appends one event inside `tx` (see appendAll). */
  async append(tx: Tx, event: NewAuditEvent): Promise<AuditRow> {
    return (await this.appendAll(tx, [event]))[0]!;
  }

  /**
   * Appends events in order inside `tx`: the tenant's head row is locked (and
   * read and written once), so events of a tenant form one chain even with
   * many instances writing at once. Callers take the head last in their
   * transaction, after any token row, so that locks are always taken in the
   * same order.
   */
  async appendAll(tx: Tx, events: NewAuditEvent[]): Promise<AuditRow[]> {
    if (events.length === 0) return [];
    const head = await lockedHead.first(tx, this.dialect, { tenantId: this.tenantId });
    if (!head) throw new Error(`tenant ${this.tenantId} has no audit head`);
    let { seq, hash } = head;
    const rows = events.map((event): AuditRow => {
      const fields: ChainedFields = { ...event, tenantId: this.tenantId, seq: seq + 1 };
      const row: AuditRow = {
        id: newId(), tenant_id: this.tenantId, seq: fields.seq, at: event.at, actor: event.actor, action: event.action,
        outcome: event.outcome, token_id: event.tokenId, serial: event.serial, user_id: event.userId, username: event.username,
        reason: event.reason, detail: event.detail, prev_hash: hash, hash: eventHash(hash, fields),
      };
      seq = row.seq;
      hash = row.hash;
      return row;
    });
    await EVENT_STORES[this.dialect](tx, rows, { tenantId: this.tenantId, seq, hash });
    return rows;
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
    if (filter.serial) query = query.where(lowerCaseOf(this.dialect, 'serial'), '=', filter.serial.toLowerCase());
    if (filter.userId) query = query.where('user_id', '=', filter.userId);
    if (filter.username) query = query.where(lowerCaseOf(this.dialect, 'username'), '=', filter.username.toLowerCase());
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
