import { describe, expect, it } from 'vitest';
import { scanForPair } from './pair-search.js';

/** Scans a made-up sequence of OTPs, position i showing sequence[i], for the pair (A, B). */
function scan(sequence: string, first = 0, last = sequence.length - 2) {
  const computed: number[] = [];
  const result = scanForPair(
    (position) => {
      computed.push(position);
      return sequence.charAt(position);
    },
    first,
    last,
    (otp) => otp === 'A',
    (otp) => otp === 'B',
  );
  return { result, computed };
}

describe('scanForPair', () => {
  it('finds the first A immediately followed by B', () => {
    expect(scan('xxABxAB').result).toEqual({ ok: true, position: 2 });
  });

  it('computes each position once and stops at the match', () => {
    expect(scan('xxABxAB').computed).toEqual([0, 1, 2, 3]);
    expect(scan('xxxxxxx').computed).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('computes last + 1, so a pair may start at `last`', () => {
    expect(scan('xxxAB', 0, 3).result).toEqual({ ok: true, position: 3 });
    expect(scan('xxxAB', 0, 2).result.ok).toBe(false);
  });

  it('prefers a right pair found after a swapped one', () => {
    expect(scan('xBAxxABx').result).toEqual({ ok: true, position: 5 });
  });

  it("reports 'order' for B immediately followed by A", () => {
    expect(scan('xxBAxx').result).toEqual({ ok: false, reason: 'order' });
    expect(scan('xAxBAx').result).toEqual({ ok: false, reason: 'order' });
  });

  it("reports 'not_consecutive' when A and B both occur but never adjacent", () => {
    expect(scan('xAxxBx').result).toEqual({ ok: false, reason: 'not_consecutive' });
    expect(scan('xBxxAx').result).toEqual({ ok: false, reason: 'not_consecutive' });
  });

  it("reports 'not_found' when A or B is missing", () => {
    expect(scan('xAxAxx').result).toEqual({ ok: false, reason: 'not_found' });
    expect(scan('xxBxxx').result).toEqual({ ok: false, reason: 'not_found' });
    expect(scan('xxxxxx').result).toEqual({ ok: false, reason: 'not_found' });
  });

  it('ignores what lies outside first .. last + 1', () => {
    expect(scan('ABxxxxxAB', 2, 5).result).toEqual({ ok: false, reason: 'not_found' });
    expect(scan('ABxxxxxAB', 1, 5).result).toEqual({ ok: false, reason: 'not_found' });
  });
});
