import { sql, type RawBuilder } from 'kysely';
import type { Dialect, Storage } from './db.js';

/** Keys per statement at most. */
const MAX_BATCH = 500;

interface Waiting<K, R> {
  key: K;
  resolve(rows: R[]): void;
  reject(error: unknown): void;
}

/**
 * Reads of one kind that arrive in the same turn of the event loop, asked of
 * the database in one statement: under load many sign-ins look up their API
 * key or their user at once, and on PostgreSQL every statement is a round
 * trip (on SQLite, a statement's fixed cost). Nothing is cached: each caller
 * gets what the database holds at the statement it shares, as if it had
 * asked alone at that moment.
 * `fetch` answers the rows of each key, in the order of the keys.
 */
export class BatchedRead<K, R> {
  private waiting: Waiting<K, R>[] = [];

  constructor(private readonly fetch: (keys: K[]) => Promise<R[][]>) {}

  load(key: K): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      this.waiting.push({ key, resolve, reject });
      // After the I/O callbacks of this turn: requests that arrived together read together.
      if (this.waiting.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    for (let i = 0; i < batch.length; i += MAX_BATCH) {
      const part = batch.slice(i, i + MAX_BATCH);
      try {
        const rows = await this.fetch(part.map((waiting) => waiting.key));
        part.forEach((waiting, k) => waiting.resolve(rows[k] ?? []));
      } catch (error) {
        for (const waiting of part) waiting.reject(error);
      }
    }
  }
}

/** A function that makes one `T` per storage on first use: a batcher belongs to one database. */
export function perStorage<T extends object>(make: (storage: Storage) => T): (storage: Storage) => T {
  const made = new WeakMap<Storage, T>();
  return (storage) => {
    let value = made.get(storage);
    if (!value) made.set(storage, (value = make(storage)));
    return value;
  };
}

/**
 * `column` is one of the texts of a list given as one parameter (see
 * listParameter): `= any($n::text[])` on PostgreSQL; on SQLite, a JSON array
 * walked by json_each, each element looked up through the column's index.
 */
export function isOneOf(column: string, list: unknown, dialect: Dialect): RawBuilder<boolean> {
  return dialect === 'postgres'
    ? sql<boolean>`${sql.ref(column)} = any(${list}::text[])`
    : sql<boolean>`${sql.ref(column)} in (select value from json_each(${list}))`;
}

export function listParameter(values: string[], dialect: Dialect): string[] | string {
  return dialect === 'postgres' ? values : JSON.stringify(values);
}
