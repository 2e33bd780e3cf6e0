/**
 * One SHA compression function (FIPS 180-4 §6) with its parameters, on
 * big-endian 32-bit words. HMAC-based OTPs hash messages that fit in a single
 * block once the key's padded block is absorbed, so calling the compression
 * function directly from precomputed states is what makes window searches fast
 * (see hmac-counter.ts).
 *
 * A 64-bit word of SHA-512 is two 32-bit words, high first, so states, blocks
 * and digests of every algorithm are plain Int32Arrays in byte order.
 */
export interface ShaBlockFunction {
  /** Node's name for the same hash, for hashing over-long HMAC keys. */
  readonly nodeName: 'sha1' | 'sha256' | 'sha512';
  readonly blockBytes: number;
  readonly digestBytes: number;
  /** FIPS 180-4 §5.3 initial hash value. */
  readonly initialState: Int32Array;
  /** Absorbs one block (blockBytes / 4 words) into `state`, in place. */
  compress(state: Int32Array, block: Int32Array): void;
}
