import crypto from 'node:crypto';

const POOL_BYTES = 4096;

let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `size` bytes from the operating system's CSPRNG, drawn from a buffer filled
 * 4 KiB at a time: one call into OpenSSL per few hundred IVs or ids instead of
 * one each (a seed-file import draws 200,000). The bytes returned are the
 * caller's: never handed out again, never overwritten (a spent pool is
 * replaced, not refilled).
 */
export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES) return crypto.randomBytes(size);
  if (offset + size > pool.length) {
    pool = crypto.randomBytes(POOL_BYTES);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + size);
  offset += size;
  return bytes;
}
