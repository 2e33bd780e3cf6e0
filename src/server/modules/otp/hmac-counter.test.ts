import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { counterMac } from './hmac-counter.js';
import { HASH_ALGORITHMS } from './otp-params.js';
import { SHA256_INITIAL, SHA256_K, SHA512_INITIAL, SHA512_K } from './sha2-constants.js';

function nodeHmac(algorithm: string, key: Uint8Array, counter: number): Buffer {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  return createHmac(algorithm.toLowerCase(), key).update(message).digest();
}

function bytesOf(words: Int32Array): Buffer {
  const out = Buffer.alloc(words.length * 4);
  words.forEach((word, i) => out.writeInt32BE(word, i * 4));
  return out;
}

/** Key lengths around the block sizes (64, 128), where RFC 2104 hashes the key first. */
const KEY_LENGTHS = [0, 1, 10, 20, 32, 63, 64, 65, 100, 127, 128, 129, 300];
const COUNTERS = [0, 1, 2, 255, 256, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 12345, Number.MAX_SAFE_INTEGER];

describe('counterMac', () => {
  for (const algorithm of HASH_ALGORITHMS) {
    it(`equals node:crypto HMAC-${algorithm} for keys of every length around the block size`, () => {
      for (const length of KEY_LENGTHS) {
        const key = randomBytes(length);
        const mac = counterMac(key, algorithm);
        for (const counter of COUNTERS) {
          expect(bytesOf(mac(counter)).toString('hex'), `key ${length} bytes, counter ${counter}`).toBe(
            nodeHmac(algorithm, key, counter).toString('hex'),
          );
        }
      }
    });

    it(`equals node:crypto HMAC-${algorithm} over a run of consecutive counters`, () => {
      const key = randomBytes(20);
      const mac = counterMac(key, algorithm);
      for (let counter = 1_000_000; counter < 1_000_500; counter++) {
        expect(bytesOf(mac(counter)).equals(nodeHmac(algorithm, key, counter))).toBe(true);
      }
    });
  }

  it('keeps two generators of different keys independent', () => {
    const [keyA, keyB] = [randomBytes(20), randomBytes(20)];
    const [macA, macB] = [counterMac(keyA, 'SHA256'), counterMac(keyB, 'SHA256')];
    for (let counter = 0; counter < 5; counter++) {
      const a = bytesOf(macA(counter));
      macB(counter);
      expect(a.equals(nodeHmac('SHA256', keyA, counter))).toBe(true);
    }
  });
});

describe('derived SHA-2 constants', () => {
  it('match the first and last values printed in FIPS 180-4', () => {
    const u32 = (words: Int32Array, i: number) => words[i]! >>> 0;
    expect([u32(SHA256_K, 0), u32(SHA256_K, 63)]).toEqual([0x428a2f98, 0xc67178f2]);
    expect([u32(SHA256_INITIAL, 0), u32(SHA256_INITIAL, 7)]).toEqual([0x6a09e667, 0x5be0cd19]);
    expect([u32(SHA512_K, 0), u32(SHA512_K, 1), u32(SHA512_K, 158), u32(SHA512_K, 159)]).toEqual([
      0x428a2f98, 0xd728ae22, 0x6c44198c, 0x4a475817,
    ]);
    expect([u32(SHA512_INITIAL, 0), u32(SHA512_INITIAL, 1), u32(SHA512_INITIAL, 15)]).toEqual([
      0x6a09e667, 0xf3bcc908, 0x137e2179,
    ]);
  });
});
