import { timingSafeEqual as nodeTimingSafeEqual } from 'node:crypto';

/**
 * A module-local binding: transpilers (vitest, tsx) turn an imported binding
 * into a property read through an interop wrapper on every use, which costs
 * more than the comparison itself inside a window search.
 */
const timingSafeEqual = nodeTimingSafeEqual;

/**
 * Compares a stored or computed OTP with the one a person typed, in time that
 * does not depend on where they differ, so response timing cannot be used to
 * guess an OTP digit by digit (SPEC §5). Only the length can show, and OTP
 * lengths are public (6 or 8 digits).
 */
export function otpEquals(expected: string, given: string): boolean {
  return bytesEqual(Buffer.from(expected, 'utf8'), Buffer.from(given, 'utf8'));
}

/** Constant-time equality of two byte strings; unequal lengths are simply unequal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/**
 * The same comparison as `otpEquals(expected, given)`, prepared once for a
 * window search that compares one typed OTP with thousands of computed ones.
 * Encoding both strings on every call costs more than the HMAC itself, so the
 * typed OTP is encoded once and each candidate is copied into a reused buffer.
 * Candidates are generator output (ASCII digits); a non-ASCII candidate never
 * matches.
 */
export function otpMatcher(given: string): (expected: string) => boolean {
  const givenBytes = Buffer.from(given, 'utf8');
  const scratch = Buffer.alloc(givenBytes.length);
  return (expected) => {
    if (expected.length !== scratch.length) return false;
    let nonAscii = 0;
    for (let i = 0; i < scratch.length; i++) {
      const code = expected.charCodeAt(i);
      nonAscii |= code >>> 7;
      scratch[i] = code;
    }
    return timingSafeEqual(scratch, givenBytes) && nonAscii === 0;
  };
}
