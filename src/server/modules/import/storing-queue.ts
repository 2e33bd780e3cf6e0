import type { PreparedRow } from './prepared-rows.js';
import type { TokenStore } from './token-store.js';

/** What the queue hands on for each chunk, in file order: its rows and the ids of those the store left out. */
export type StoredChunk = (chunk: PreparedRow[], taken: Set<string>) => Promise<void>;

/**
 * The chunks of a file on their way into a TokenStore: up to `depth` of them
 * are stored while the parser reads on (PostgreSQL indexes rows on its own
 * core meanwhile, and a slow chunk does not stop the parser), and each is
 * handed to `stored` in file order, so that problems are found in file order.
 */
export class StoringQueue {
  private readonly queue: { chunk: PreparedRow[]; taken: Promise<Set<string>> }[] = [];

  constructor(private readonly store: TokenStore, private readonly depth: number, private readonly stored: StoredChunk) {}

  /** Hands a chunk to the store; waits while `depth` chunks are ahead of it. */
  async add(chunk: PreparedRow[]): Promise<void> {
    const taken = this.store.store(chunk.map(({ row }) => row));
    taken.catch(() => undefined); // awaited (and thrown) in its turn
    this.queue.push({ chunk, taken });
    while (this.queue.length > this.depth) await this.next();
  }

  /** Waits for every chunk. */
  async drain(): Promise<void> {
    while (this.queue.length > 0) await this.next();
  }

  private async next(): Promise<void> {
    const { chunk, taken } = this.queue.shift()!;
    await this.stored(chunk, await taken);
  }
}
