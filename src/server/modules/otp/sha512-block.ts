import type { ShaBlockFunction } from './sha-block.js';
import { SHA512_INITIAL, SHA512_K } from './sha2-constants.js';

/**
 * A module-local binding: transpilers (tsx, vitest) turn imported bindings
 * into getter calls, which would run twice per round in the loop below.
 */
const K = SHA512_K;

/*
 * SHA-512 (FIPS 180-4 §6.4) on 32-bit halves: JavaScript has no fast 64-bit
 * integers (BigInt allocates). Word t of the algorithm is W[2t] (high) and
 * W[2t + 1] (low). A 64-bit sum adds the low halves as exact doubles and
 * carries what passes 2^32 into the high half.
 */

/** 2^-32: multiplying by it is exact, and cheaper than dividing by 2^32. */
const CARRY_SCALE = 1 / 0x100000000;

/** Message schedule scratch: 80 words as 160 halves; compression is synchronous. */
const W = new Int32Array(160);

// rotr64 by n < 32 of (hi, lo): high half, low half. Rotating by n >= 32 is
// rotating the swapped pair by n - 32, so callers pass (lo, hi) for those.
function rotrHigh(hi: number, lo: number, n: number): number {
  return (hi >>> n) | (lo << (32 - n));
}
function rotrLow(hi: number, lo: number, n: number): number {
  return (lo >>> n) | (hi << (32 - n));
}

/** σ0 and σ1 of §4.1.3, (4.12) and (4.13), written into W[i], W[i + 1]. */
function scheduleWord(i: number): void {
  const h15 = W[i - 30]!, l15 = W[i - 29]!;
  const h2 = W[i - 4]!, l2 = W[i - 3]!;
  const s0h = rotrHigh(h15, l15, 1) ^ rotrHigh(h15, l15, 8) ^ (h15 >>> 7);
  const s0l = rotrLow(h15, l15, 1) ^ rotrLow(h15, l15, 8) ^ rotrLow(h15, l15, 7);
  const s1h = rotrHigh(h2, l2, 19) ^ rotrHigh(l2, h2, 29) ^ (h2 >>> 6);
  const s1l = rotrLow(h2, l2, 19) ^ rotrLow(l2, h2, 29) ^ rotrLow(h2, l2, 6);
  const low = (s1l >>> 0) + (W[i - 13]! >>> 0) + (s0l >>> 0) + (W[i - 31]! >>> 0);
  W[i] = (s1h + W[i - 14]! + s0h + W[i - 32]! + ((low * CARRY_SCALE) | 0)) | 0;
  W[i + 1] = low | 0;
}

function expandSchedule(block: Int32Array): void {
  for (let i = 0; i < 32; i++) W[i] = block[i]!;
  for (let i = 32; i < 160; i += 2) scheduleWord(i);
}

// Σ0 and Σ1 of §4.1.3, (4.10) and (4.11), as high and low halves.
function bigSigma0High(hi: number, lo: number): number {
  return rotrHigh(hi, lo, 28) ^ rotrHigh(lo, hi, 2) ^ rotrHigh(lo, hi, 7);
}
function bigSigma0Low(hi: number, lo: number): number {
  return rotrLow(hi, lo, 28) ^ rotrLow(lo, hi, 2) ^ rotrLow(lo, hi, 7);
}
function bigSigma1High(hi: number, lo: number): number {
  return rotrHigh(hi, lo, 14) ^ rotrHigh(hi, lo, 18) ^ rotrHigh(lo, hi, 9);
}
function bigSigma1Low(hi: number, lo: number): number {
  return rotrLow(hi, lo, 14) ^ rotrLow(hi, lo, 18) ^ rotrLow(lo, hi, 9);
}

/**
 * FIPS 180-4 §6.4.2 steps 2-4. The working variables stay in locals (aH is
 * the high half of a): V8 keeps them in registers, which an array would not.
 */
function compress(state: Int32Array, block: Int32Array): void {
  expandSchedule(block);
  let aH = state[0]!, aL = state[1]!, bH = state[2]!, bL = state[3]!;
  let cH = state[4]!, cL = state[5]!, dH = state[6]!, dL = state[7]!;
  let eH = state[8]!, eL = state[9]!, fH = state[10]!, fL = state[11]!;
  let gH = state[12]!, gL = state[13]!, hH = state[14]!, hL = state[15]!;
  for (let i = 0; i < 160; i += 2) {
    // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]
    const t1Low = (hL >>> 0) + (bigSigma1Low(eH, eL) >>> 0) + ((gL ^ (eL & (fL ^ gL))) >>> 0) +
      (K[i + 1]! >>> 0) + (W[i + 1]! >>> 0);
    const t1H = (hH + bigSigma1High(eH, eL) + (gH ^ (eH & (fH ^ gH))) + K[i]! + W[i]! + ((t1Low * CARRY_SCALE) | 0)) | 0;
    const t1L = t1Low | 0;
    // T2 = Σ0(a) + Maj(a, b, c)
    const t2Low = (bigSigma0Low(aH, aL) >>> 0) + (((aL & bL) | (cL & (aL | bL))) >>> 0);
    const t2H = (bigSigma0High(aH, aL) + ((aH & bH) | (cH & (aH | bH))) + ((t2Low * CARRY_SCALE) | 0)) | 0;
    const t2L = t2Low | 0;
    hH = gH; hL = gL; gH = fH; gL = fL; fH = eH; fL = eL;
    const eLow = (dL >>> 0) + (t1L >>> 0);
    eH = (dH + t1H + ((eLow * CARRY_SCALE) | 0)) | 0; eL = eLow | 0;
    dH = cH; dL = cL; cH = bH; cL = bL; bH = aH; bL = aL;
    const aLow = (t1L >>> 0) + (t2L >>> 0);
    aH = (t1H + t2H + ((aLow * CARRY_SCALE) | 0)) | 0; aL = aLow | 0;
  }
  addInto(state, 0, aH, aL); addInto(state, 2, bH, bL); addInto(state, 4, cH, cL); addInto(state, 6, dH, dL);
  addInto(state, 8, eH, eL); addInto(state, 10, fH, fL); addInto(state, 12, gH, gL); addInto(state, 14, hH, hL);
}

/** state[i..i+1] += (hi, lo) modulo 2^64. */
function addInto(state: Int32Array, i: number, hi: number, lo: number): void {
  const low = (state[i + 1]! >>> 0) + (lo >>> 0);
  state[i] = (state[i]! + hi + ((low * CARRY_SCALE) | 0)) | 0;
  state[i + 1] = low | 0;
}

export const SHA512_BLOCK: ShaBlockFunction = {
  nodeName: 'sha512',
  blockBytes: 128,
  digestBytes: 64,
  initialState: SHA512_INITIAL,
  compress,
};
