import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from './random-pool.js';

describe('pooledRandomBytes', () => {
  it('hands out bytes that are not handed out again nor overwritten when the pool is replaced', () => {
    const drawn: Buffer[] = [];
    const copies: Buffer[] = [];
    for (let i = 0; i < 2000; i++) {
      drawn.push(pooledRandomBytes(12));
      copies.push(Buffer.from(drawn[i]!));
    }
    expect(drawn).toEqual(copies);
    expect(new Set(drawn.map((bytes) => bytes.toString('hex'))).size).toBe(drawn.length);
    for (const bytes of drawn) expect(bytes.length).toBe(12);
  });

  it('gives larger requests bytes of their own', () => {
    expect(pooledRandomBytes(10_000).length).toBe(10_000);
  });
});
