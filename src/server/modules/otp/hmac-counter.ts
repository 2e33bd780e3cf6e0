import { createHash } from 'node:crypto';
import type { HashAlgorithm } from './otp-params.js';
import type { ShaBlockFunction } from './sha-block.js';
import { SHA1_BLOCK } from './sha1-block.js';
import { SHA256_BLOCK } from './sha256-block.js';
import { SHA512_BLOCK } from './sha512-block.js';

const SHA_BLOCKS: Record<HashAlgorithm, ShaBlockFunction> = {
  SHA1: SHA1_BLOCK,
  SHA256: SHA256_BLOCK,
  SHA512: SHA512_BLOCK,
};

/** HMAC of an 8-byte counter; returns the digest as big-endian words, valid until the next call. */
export type CounterMac = (counter: number) => Int32Array;

const TWO_32 = 0x100000000;
const IPAD = 0x36363636;
const OPAD = 0x5c5c5c5c;
/** The '1' bit that starts SHA padding (FIPS 180-4 §5.1). */
const PAD_START = 0x80000000 | 0;

/**
 * HMAC(key, counter) (RFC 2104 §2) for every counter of a window without
 * redoing per-key work. HMAC is H((K ^ opad) || H((K ^ ipad) || m)); each
 * padded key fills exactly one block, so the hash state after it is computed
 * once here. For an 8-byte counter (RFC 4226 §5.2) the rest of each hash fits
 * in one block, so one counter costs exactly two compressions. Per counter,
 * node's createHmac, createHash(...).copy() of the same states and
 * crypto.hash() were measured 4-8x slower for SHA-1 and SHA-256 (each call
 * crosses into native code and allocates) and no faster for SHA-512.
 */
export function counterMac(key: Uint8Array, algorithm: HashAlgorithm): CounterMac {
  const sha = SHA_BLOCKS[algorithm];
  const keyBlock = blockWords(sha, key);
  const innerStart = absorbedState(sha, keyBlock, IPAD);
  const outerStart = absorbedState(sha, keyBlock, OPAD);
  const innerBlock = finalBlock(sha, 8);
  const outerBlock = finalBlock(sha, sha.digestBytes);
  // SHA-1, SHA-256 and SHA-512 output their whole state: digest = state.
  const state = new Int32Array(sha.digestBytes / 4);
  return (counter) => {
    innerBlock[0] = Math.floor(counter / TWO_32);
    innerBlock[1] = counter | 0;
    state.set(innerStart);
    sha.compress(state, innerBlock);
    outerBlock.set(state);
    state.set(outerStart);
    sha.compress(state, outerBlock);
    return state;
  };
}

/** K0 of RFC 2104 §2: the key, hashed first if longer than a block, zero-padded to a block. */
function blockWords(sha: ShaBlockFunction, key: Uint8Array): Int32Array {
  const short = key.length > sha.blockBytes ? createHash(sha.nodeName).update(key).digest() : key;
  const padded = Buffer.alloc(sha.blockBytes);
  padded.set(short);
  const words = new Int32Array(sha.blockBytes / 4);
  for (let i = 0; i < words.length; i++) words[i] = padded.readInt32BE(i * 4);
  return words;
}

function absorbedState(sha: ShaBlockFunction, keyBlock: Int32Array, pad: number): Int32Array {
  const state = Int32Array.from(sha.initialState);
  sha.compress(state, keyBlock.map((word) => word ^ pad));
  return state;
}

/**
 * The last block of a message made of one key block plus `tailBytes` (a
 * multiple of 4): the tail goes in the first words, then the padding bit, then
 * the message length in bits in the last word (FIPS 180-4 §5.1.1, §5.1.2;
 * the higher length words stay zero).
 */
function finalBlock(sha: ShaBlockFunction, tailBytes: number): Int32Array {
  const block = new Int32Array(sha.blockBytes / 4);
  block[tailBytes / 4] = PAD_START;
  block[block.length - 1] = (sha.blockBytes + tailBytes) * 8;
  return block;
}
