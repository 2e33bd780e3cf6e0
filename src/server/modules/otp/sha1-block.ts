import type { ShaBlockFunction } from './sha-block.js';

/** FIPS 180-4 §4.2.1; written as int32 so V8 keeps the round sums in integer registers. */
const K0 = 0x5a827999;
const K1 = 0x6ed9eba1;
const K2 = 0x8f1bbcdc | 0;
const K3 = 0xca62c1d6 | 0;

/** Message schedule scratch (FIPS 180-4 §6.1.2 step 1); compression is synchronous. */
const W = new Int32Array(80);

function expandSchedule(block: Int32Array): void {
  for (let t = 0; t < 16; t++) W[t] = block[t]!;
  for (let t = 16; t < 80; t++) {
    const x = W[t - 3]! ^ W[t - 8]! ^ W[t - 14]! ^ W[t - 16]!;
    W[t] = (x << 1) | (x >>> 31);
  }
}

/**
 * FIPS 180-4 §6.1.2 steps 2-4. One loop per 20-round stage keeps the round
 * function branch-free; Ch and Maj are in their two-operation forms.
 */
function compress(state: Int32Array, block: Int32Array): void {
  expandSchedule(block);
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!;
  let t = 0;
  let next: number;
  for (; t < 20; t++) {
    next = (((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + e + K0 + W[t]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = next;
  }
  for (; t < 40; t++) {
    next = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K1 + W[t]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = next;
  }
  for (; t < 60; t++) {
    next = (((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + e + K2 + W[t]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = next;
  }
  for (; t < 80; t++) {
    next = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K3 + W[t]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = next;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
}

export const SHA1_BLOCK: ShaBlockFunction = {
  nodeName: 'sha1',
  blockBytes: 64,
  digestBytes: 20,
  // FIPS 180-4 §5.3.1
  initialState: Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0),
  compress,
};
