import type { ShaBlockFunction } from './sha-block.js';
import { SHA256_INITIAL, SHA256_K } from './sha2-constants.js';

/**
 * A module-local binding: transpilers (tsx, vitest) turn imported bindings
 * into getter calls, which would run twice per round in the loop below.
 */
const K = SHA256_K;

/** Message schedule scratch (FIPS 180-4 §6.2.2 step 1); compression is synchronous. */
const W = new Int32Array(64);

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}

function expandSchedule(block: Int32Array): void {
  for (let t = 0; t < 16; t++) W[t] = block[t]!;
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15]!;
    const w2 = W[t - 2]!;
    const sigma0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const sigma1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    W[t] = (sigma1 + W[t - 7]! + sigma0 + W[t - 16]!) | 0;
  }
}

/** FIPS 180-4 §6.2.2 steps 2-4. */
function compress(state: Int32Array, block: Int32Array): void {
  expandSchedule(block);
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!;
  let e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
  for (let t = 0; t < 64; t++) {
    const bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const choose = g ^ (e & (f ^ g));
    const t1 = (h + bigSigma1 + choose + K[t]! + W[t]!) | 0;
    const bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const majority = (a & b) | (c & (a | b));
    h = g; g = f; f = e; e = (d + t1) | 0;
    d = c; c = b; b = a; a = (t1 + bigSigma0 + majority) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

export const SHA256_BLOCK: ShaBlockFunction = {
  nodeName: 'sha256',
  blockBytes: 64,
  digestBytes: 32,
  initialState: SHA256_INITIAL,
  compress,
};
