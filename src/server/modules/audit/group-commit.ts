import type { Storage, Tx } from '../../storage/db.js';
import { AuditRepository, type NewAuditEvent } from './audit-repository.js';

/** A change made inside a shared transaction, with the audit events that record it. */
export type AuditedChange<T> = (tx: Tx) => Promise<{ result: T; events: NewAuditEvent[] }>;

interface Waiting {
  tenantId: string;
  /** The row the change locks first (a token id): a group runs its changes in this order. */
  orderKey: string;
  change: AuditedChange<unknown>;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/** Changes per transaction at most: bounds the time a group holds the audit heads. */
const MAX_GROUP = 256;

/**
 * Group commit for the verification path. Changes that arrive while a group
 * is being committed wait and are committed together in the next transaction:
 * one commit (one fsync on PostgreSQL) and one turn of each tenant's audit
 * head per group instead of per request. Each change is still whole or
 * nothing: a group that fails is retried one change per transaction, so a
 * change that cannot be stored fails alone. Events are appended after every
 * change of the group, so the audit head is locked last, as everywhere else;
 * the changes themselves run in the order of their keys.
 */
export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private draining = false;

  constructor(private readonly storage: Storage) {}

  run<T>(tenantId: string, orderKey: string, change: AuditedChange<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ tenantId, orderKey, change, resolve: resolve as (result: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        // After the I/O callbacks of this turn: requests that arrived together commit together.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      // Row locks in key order: two instances' groups that touch the same
      // tokens take them in the same order instead of deadlocking.
      const group = this.waiting.splice(0, MAX_GROUP).sort((a, b) => (a.orderKey < b.orderKey ? -1 : a.orderKey > b.orderKey ? 1 : 0));
      try {
        const results = await this.commit(group);
        group.forEach((waiting, i) => waiting.resolve(results[i]));
      } catch (error) {
        if (group.length === 1) group[0]!.reject(error);
        else await this.commitOneByOne(group);
      }
    }
    this.draining = false;
  }

  private async commitOneByOne(group: Waiting[]): Promise<void> {
    for (const waiting of group) {
      try {
        waiting.resolve((await this.commit([waiting]))[0]);
      } catch (error) {
        waiting.reject(error);
      }
    }
  }

  private commit(group: Waiting[]): Promise<unknown[]> {
    return this.storage.db.transaction().execute(async (tx) => {
      const results: unknown[] = [];
      const eventsByTenant = new Map<string, NewAuditEvent[]>();
      for (const { tenantId, change } of group) {
        const { result, events } = await change(tx);
        results.push(result);
        const tenantEvents = eventsByTenant.get(tenantId) ?? [];
        tenantEvents.push(...events);
        eventsByTenant.set(tenantId, tenantEvents);
      }
      // Heads in a fixed order: two instances committing groups never wait on each other in a cycle.
      for (const tenantId of [...eventsByTenant.keys()].sort()) {
        await new AuditRepository(tx, this.storage.dialect, tenantId).appendAll(tx, eventsByTenant.get(tenantId)!);
      }
      return results;
    });
  }
}
