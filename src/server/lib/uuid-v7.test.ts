import { describe, expect, it } from 'vitest';
import { UuidV7Generator } from './uuid-v7.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T = Date.UTC(2026, 10, 29, 12, 0, 0);

/** The 48-bit Unix time in milliseconds that a UUIDv7 carries. */
const timeOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
const counterOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(13, 16), 16);

function expectIncreasing(ids: string[]): void {
  for (let i = 1; i < ids.length; i++) {
    if (!(ids[i - 1]! < ids[i]!)) expect.fail(`id ${i} (${ids[i]}) is not after ${ids[i - 1]}`);
  }
}

describe('UUIDv7 row ids (RFC 9562)', () => {
  it('are version 7, variant 10, and carry the time in milliseconds', () => {
    const id = new UuidV7Generator().next(T);
    expect(id).toMatch(UUID_V7);
    expect(timeOf(id)).toBe(T);
  });

  it('increase strictly within one millisecond, and past 4,096 of them the time runs ahead', () => {
    const generator = new UuidV7Generator();
    const ids = Array.from({ length: 10_000 }, () => generator.next(T));
    expectIncreasing(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(timeOf(ids.at(-1)!)).toBeGreaterThan(T);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    // A fresh millisecond seeds its counter in the lower half, leaving room to count.
    expect(counterOf(ids[0]!)).toBeLessThanOrEqual(0x7ff);
  });

  it('keep increasing when the clock steps back', () => {
    const generator = new UuidV7Generator();
    const ids = [generator.next(T), generator.next(T - 60_000), generator.next(T - 1), generator.next(T + 1)];
    expectIncreasing(ids);
    expect(ids.slice(0, 3).map(timeOf)).toEqual([T, T, T]);
    expect(timeOf(ids[3]!)).toBe(T + 1);
  });

  it('of two processes in the same millisecond differ (62 random bits each)', () => {
    const a = new UuidV7Generator();
    const b = new UuidV7Generator();
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) ids.add(a.next(T + i)).add(b.next(T + i));
    expect(ids.size).toBe(2000);
  });
});
