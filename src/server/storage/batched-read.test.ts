import { describe, expect, it } from 'vitest';
import { BatchedRead } from './batched-read.js';

describe('BatchedRead', () => {
  it('asks once for the keys loaded in one turn and gives each caller the rows of its key', async () => {
    const asked: string[][] = [];
    const reads = new BatchedRead<string, string>(async (keys) => {
      asked.push(keys);
      return keys.map((key) => (key === 'none' ? [] : [`${key}-1`, `${key}-2`]));
    });
    const results = await Promise.all(['a', 'b', 'none', 'a'].map((key) => reads.load(key)));
    expect(asked).toEqual([['a', 'b', 'none', 'a']]);
    expect(results).toEqual([['a-1', 'a-2'], ['b-1', 'b-2'], [], ['a-1', 'a-2']]);
    expect(await reads.load('c')).toEqual(['c-1', 'c-2']);
    expect(asked).toHaveLength(2);
  });

  it('fails every caller of a failed statement, and the next turn reads afresh', async () => {
    let fail = true;
    const reads = new BatchedRead<number, number>(async (keys) => {
      if (fail) throw new Error('connection lost');
      return keys.map((key) => [key * 10]);
    });
    const failed = await Promise.allSettled([reads.load(1), reads.load(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await Promise.all([reads.load(1), reads.load(2)])).toEqual([[10], [20]]);
  });

  it('splits a large turn into statements of at most 500 keys', async () => {
    const sizes: number[] = [];
    const reads = new BatchedRead<number, number>(async (keys) => {
      sizes.push(keys.length);
      return keys.map((key) => [key]);
    });
    const results = await Promise.all(Array.from({ length: 1201 }, (_, i) => reads.load(i)));
    expect(sizes).toEqual([500, 500, 201]);
    expect(results.every((rows, i) => rows[0] === i)).toBe(true);
  });
});
