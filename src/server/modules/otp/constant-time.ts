import { timingSafeEqual } from 'node:crypto';

/** Constant-time equality of two byte strings; unequal lengths are simply unequal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/**
 * Compares the OTP a person typed with computed HOTP codes in time that does
 * not depend on where they differ, so response timing cannot be used to guess
 * an OTP digit by digit (SPEC §5). Prepared once for a window search, which
 * compares one typed OTP with thousands of codes: the typed OTP is read as a
 * number once and each code is compared as a number. Equality of two small
 * integers is one machine comparison, whatever digits differ, and no string
 * is built per candidate. A code is HOTP's value before its leading zeros are
 * added, so only a typed OTP of exactly `digits` ASCII digits matches anything.
 */
export function otpCodeMatcher(given: string, digits: number): (code: number) => boolean {
  const target = given.length === digits && /^[0-9]+$/.test(given) ? Number(given) : -1;
  return (code) => (code ^ target) === 0;
}
