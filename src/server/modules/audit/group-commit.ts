import type { Dialect, Storage, Tx } from '../../storage/db.js';
import { AuditRepository, type NewAuditEvent } from './audit-repository.js';

/** A change made inside a shared transaction, with the audit events that record it. */
export type AuditedChange<T> = (tx: Tx) => Promise<{ result: T; events: NewAuditEvent[] }>;

/**
 * Changes of one kind that a group runs together, as one statement where the
 * database allows (one round trip per group on PostgreSQL instead of one per
 * change). `run` gets the inputs in key order and answers in the same order.
 */
export interface BulkChange<I, R> {
  run(tx: Tx, dialect: Dialect, inputs: I[]): Promise<R[]>;
}

type Step =
  | { kind: 'single'; change: AuditedChange<unknown> }
  | { kind: 'bulk'; bulk: BulkChange<unknown, unknown>; input: unknown; events(result: unknown): NewAuditEvent[] };

interface Waiting {
  tenantId: string;
  /** The row the change locks first (a token id): a group runs its changes in this order. */
  orderKey: string;
  step: Step;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { result: unknown; events: NewAuditEvent[] };

/** Changes per transaction at most: bounds the time a group holds the audit heads. */
const MAX_GROUP = 256;

/**
 * Group commit for the verification path. Changes that arrive while a group
 * is being committed wait and are committed together in the next transaction:
 * one commit (one fsync on PostgreSQL) and one turn of each tenant's audit
 * head per group instead of per request. Each change is still whole or
 * nothing: a group that fails is retried one change per transaction, so a
 * change that cannot be stored fails alone. Single changes run first, then the
 * bulk ones, each in the order of their keys; events are appended last, so
 * the audit head is locked last, as everywhere else.
 */
export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private draining = false;

  constructor(private readonly storage: Storage) {}

  run<T>(tenantId: string, orderKey: string, change: AuditedChange<T>): Promise<T> {
    return this.enqueue(tenantId, orderKey, { kind: 'single', change });
  }

  /** `input` joins the group's other inputs of `bulk`; `events` records its result. */
  runBulk<I, R>(tenantId: string, orderKey: string, bulk: BulkChange<I, R>, input: I, events: (result: R) => NewAuditEvent[]): Promise<R> {
    return this.enqueue(tenantId, orderKey, { kind: 'bulk', bulk: bulk as BulkChange<unknown, unknown>, input, events: events as (result: unknown) => NewAuditEvent[] });
  }

  private enqueue<T>(tenantId: string, orderKey: string, step: Step): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ tenantId, orderKey, step, resolve: resolve as (result: unknown) => void, reject });
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
      const outcomes = new Array<Outcome>(group.length);
      // Failures before acceptances: a right OTP among wrong ones that arrived
      // with it is accepted only if their count leaves the token unlocked (its
      // compare-and-set then finds the version moved, and it reads again).
      for (const [i, { step }] of group.entries()) {
        if (step.kind === 'single') outcomes[i] = await step.change(tx);
      }
      await runBulkSteps(tx, this.storage.dialect, group, outcomes);
      const eventsByTenant = new Map<string, NewAuditEvent[]>();
      group.forEach(({ tenantId }, i) => {
        const tenantEvents = eventsByTenant.get(tenantId) ?? [];
        tenantEvents.push(...outcomes[i]!.events);
        eventsByTenant.set(tenantId, tenantEvents);
      });
      // Heads in a fixed order: two instances committing groups never wait on each other in a cycle.
      for (const tenantId of [...eventsByTenant.keys()].sort()) {
        await new AuditRepository(tx, this.storage.dialect, tenantId).appendAll(tx, eventsByTenant.get(tenantId)!);
      }
      return outcomes.map((outcome) => outcome.result);
    });
  }
}

/** Each kind of bulk change of the group in one call, its inputs in key order. */
async function runBulkSteps(tx: Tx, dialect: Dialect, group: Waiting[], outcomes: Outcome[]): Promise<void> {
  const byKind = new Map<BulkChange<unknown, unknown>, number[]>();
  group.forEach(({ step }, i) => {
    if (step.kind !== 'bulk') return;
    const members = byKind.get(step.bulk) ?? [];
    members.push(i);
    byKind.set(step.bulk, members);
  });
  for (const [bulk, members] of byKind) {
    const steps = members.map((i) => group[i]!.step as Extract<Step, { kind: 'bulk' }>);
    const results = await bulk.run(tx, dialect, steps.map((step) => step.input));
    members.forEach((i, k) => { outcomes[i] = { result: results[k], events: steps[k]!.events(results[k]) }; });
  }
}
