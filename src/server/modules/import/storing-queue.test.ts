import { describe, expect, it } from 'vitest';
import type { TokenRow } from '../tokens/token-repository.js';
import type { PreparedRow } from './prepared-rows.js';
import { StoringQueue } from './storing-queue.js';
import type { TokenStore } from './token-store.js';

/** A store whose chunks finish when the test says so, in any order. */
function controlledStore() {
  const pending: { ids: string[]; finish: (taken: Set<string>) => void; fail: (error: Error) => void }[] = [];
  const store = {
    executor: undefined as never,
    store: (rows: TokenRow[]) => new Promise<Set<string>>((finish, fail) => { pending.push({ ids: rows.map((row) => row.id), finish, fail }); }),
    finish: async () => undefined,
    abandon: async () => undefined,
  } satisfies TokenStore;
  return { store, pending };
}

const chunkOf = (...ids: string[]): PreparedRow[] => ids.map((id, position) => ({ row: { id } as TokenRow, ref: `line ${position}`, position }));
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('StoringQueue', () => {
  it('keeps `depth` chunks in the store while the caller goes on, and hands them on in the order given', async () => {
    const { store, pending } = controlledStore();
    const handed: string[][] = [];
    const queue = new StoringQueue(store, 2, async (chunk, taken) => { handed.push([...chunk.map(({ row }) => row.id), ...[...taken].map((id) => `taken:${id}`)]); });
    await queue.add(chunkOf('a'));
    await queue.add(chunkOf('b'));
    let third = false;
    const adding = queue.add(chunkOf('c')).then(() => { third = true; });
    await settle();
    expect(pending.map(({ ids }) => ids)).toEqual([['a'], ['b'], ['c']]);
    expect(third).toBe(false);
    pending[1]!.finish(new Set(['b']));
    await settle();
    expect([third, handed]).toEqual([false, []]);
    pending[0]!.finish(new Set());
    await adding;
    expect(handed).toEqual([['a']]);
    const draining = queue.drain();
    pending[2]!.finish(new Set());
    await draining;
    expect(handed).toEqual([['a'], ['b', 'taken:b'], ['c']]);
  });

  it('throws a chunk\'s failure in its turn, and a failure of a later chunk is not left unhandled', async () => {
    const { store, pending } = controlledStore();
    const queue = new StoringQueue(store, 3, async () => undefined);
    await queue.add(chunkOf('a'));
    await queue.add(chunkOf('b'));
    pending[1]!.fail(new Error('b failed'));
    pending[0]!.fail(new Error('a failed'));
    await expect(queue.drain()).rejects.toThrow('a failed');
  });
});
