/**
 * SHA-256 and SHA-512 constants, derived as FIPS 180-4 defines them instead of
 * transcribed: a mistyped digit in a 240-entry table would be a silent bug.
 * - K (§4.2.2, §4.2.3): the first 32 / 64 bits of the fractional parts of the
 *   cube roots of the first 64 / 80 primes.
 * - Initial hash values (§5.3.3, §5.3.5): the same of the square roots of the
 *   first 8 primes.
 * 64-bit values are split into (high, low) 32-bit word pairs.
 */

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) {
    if (primes.every((p) => n % p !== 0)) primes.push(n);
  }
  return primes;
}

/** floor(x^(1/k)) by Newton's method from above, exact on BigInt. */
function integerRoot(x: bigint, k: bigint): bigint {
  let root = 1n << BigInt(Math.ceil(x.toString(2).length / Number(k)));
  for (;;) {
    const next = ((k - 1n) * root + x / root ** (k - 1n)) / k;
    if (next >= root) return root;
    root = next;
  }
}

/** The first `bits` bits of the fractional part of n^(1/k). */
function fractionBits(n: number, k: bigint, bits: bigint): bigint {
  return integerRoot(BigInt(n) << (bits * k), k) & ((1n << bits) - 1n);
}

function words32(values: bigint[]): Int32Array {
  return Int32Array.from(values, (v) => Number(v) | 0);
}

function words64(values: bigint[]): Int32Array {
  return Int32Array.from(
    values.flatMap((v) => [v >> 32n, v & 0xffffffffn]),
    (v) => Number(v) | 0,
  );
}

const PRIMES = firstPrimes(80);

export const SHA256_K = words32(PRIMES.slice(0, 64).map((p) => fractionBits(p, 3n, 32n)));
export const SHA256_INITIAL = words32(PRIMES.slice(0, 8).map((p) => fractionBits(p, 2n, 32n)));
export const SHA512_K = words64(PRIMES.map((p) => fractionBits(p, 3n, 64n)));
export const SHA512_INITIAL = words64(PRIMES.slice(0, 8).map((p) => fractionBits(p, 2n, 64n)));
