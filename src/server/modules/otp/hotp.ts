import { otpCodeMatcher } from './constant-time.js';
import { counterMac } from './hmac-counter.js';
import type { HmacOtpParams, OtpDigits } from './otp-params.js';
import { scanForPair, type PairFailureReason, type PairScan } from './pair-search.js';

/**
 * RFC 4226 §5.2 defines the counter as 8 bytes; a JavaScript number counts
 * exactly up to 2^53 - 1, and a counter that advances on every button press
 * never gets near it.
 */
export const MAX_COUNTER = Number.MAX_SAFE_INTEGER;
/**
 * The stored counter is the next one expected: after MAX_COUNTER was used it
 * is one past it, and a window from there is empty (the token is spent).
 */
const SPENT_COUNTER = MAX_COUNTER + 1;

export type HotpPairResult = { ok: true; counter: number } | { ok: false; reason: PairFailureReason };

const DIGIT_PATTERNS: Record<OtpDigits, RegExp> = { 6: /^[0-9]{6}$/, 8: /^[0-9]{8}$/ };
const MODULI: Record<OtpDigits, number> = { 6: 1e6, 8: 1e8 };

/** True when `otp` is exactly `digits` ASCII digits: anything else is refused before any HMAC. */
export function isWellFormedOtp(otp: string, digits: OtpDigits): boolean {
  return DIGIT_PATTERNS[digits].test(otp);
}

/** The RFC 4226 value HOTP(K, C) as the token shows it, leading zeros included. */
export function hotp(key: Uint8Array, counter: number, params: HmacOtpParams): string {
  return hotpGenerator(key, params)(counter);
}

/**
 * HOTP for one key and many counters: the per-key HMAC work is done once
 * (see hmac-counter.ts), so a window costs two SHA compressions per counter.
 */
export function hotpGenerator(key: Uint8Array, params: HmacOtpParams): (counter: number) => string {
  const codeAt = hotpCodes(key, params);
  const { digits } = params;
  return (counter) => {
    assertCounter(counter);
    return String(codeAt(counter)).padStart(digits, '0');
  };
}

/**
 * The same HOTP values as numbers, before the leading zeros are added: a
 * window search compares them with otpCodeMatcher without building a string
 * per counter. The caller checks the counters' range.
 */
export function hotpCodes(key: Uint8Array, params: HmacOtpParams): (counter: number) => number {
  const mac = counterMac(key, params.algorithm);
  const modulus = MODULI[params.digits];
  return (counter) => dynamicTruncation(mac(counter)) % modulus;
}

/**
 * RFC 4226 §5.3 DT: the low 4 bits of the last byte give an offset; the 31
 * bits at that offset are the code. RFC 6238 (§1.2, Appendix A) applies the
 * same to the longer SHA-256/512 digests; the offset still reaches only
 * bytes 0-18.
 */
function dynamicTruncation(digest: Int32Array): number {
  const offset = byteAt(digest, digest.length * 4 - 1) & 0x0f;
  return (
    ((byteAt(digest, offset) & 0x7f) << 24) |
    (byteAt(digest, offset + 1) << 16) |
    (byteAt(digest, offset + 2) << 8) |
    byteAt(digest, offset + 3)
  );
}

function byteAt(words: Int32Array, index: number): number {
  return (words[index >> 2]! >>> (24 - (index & 3) * 8)) & 0xff;
}

function assertCounter(counter: number): void {
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new RangeError(`HOTP counter must be an integer from 0 to 2^53 - 1, got ${counter}`);
  }
}

/** A window's first counter: a counter, or SPENT_COUNTER. */
function assertFromCounter(counter: number): void {
  if (counter !== SPENT_COUNTER) assertCounter(counter);
}

function assertWindow(window: number): void {
  if (!Number.isSafeInteger(window) || window < 0) {
    throw new RangeError(`window must be a non-negative integer, got ${window}`);
  }
}

/**
 * Verification look-ahead (RFC 4226 §7.4, SPEC §5): the first counter of
 * fromCounter .. fromCounter + window - 1 whose HOTP is `otp`. The search
 * stops at the first match because the right OTP is nearly always the next
 * one; the caller stores matched + 1 so no earlier OTP is accepted again.
 */
export function findHotp(
  key: Uint8Array,
  params: HmacOtpParams,
  otp: string,
  fromCounter: number,
  window: number,
): number | undefined {
  assertFromCounter(fromCounter);
  assertWindow(window);
  if (!isWellFormedOtp(otp, params.digits)) return undefined;
  const codeAt = hotpCodes(key, params);
  const matches = otpCodeMatcher(otp, params.digits);
  const last = Math.min(fromCounter + window - 1, MAX_COUNTER);
  for (let counter = fromCounter; counter <= last; counter++) {
    if (matches(codeAt(counter))) return counter;
  }
  return undefined;
}

/**
 * Resynchronisation (SPEC §4): the first counter c of fromCounter ..
 * fromCounter + window - 1 with otp1 = HOTP(c) and otp2 = HOTP(c + 1), in
 * one pass over the window. The caller stores c + 2.
 */
export function findHotpPair(
  key: Uint8Array,
  params: HmacOtpParams,
  otp1: string,
  otp2: string,
  fromCounter: number,
  window: number,
): HotpPairResult {
  assertFromCounter(fromCounter);
  assertWindow(window);
  const last = Math.min(fromCounter + window - 1, MAX_COUNTER - 1);
  const scan = scanHotpPair(key, params, otp1, otp2, fromCounter, last);
  return scan.ok ? { ok: true, counter: scan.position } : scan;
}

/**
 * The pair search of HOTP and TOTP resynchronisation over counters
 * first..last (see scanForPair); OTPs that are not `digits` digits match nothing.
 */
export function scanHotpPair(key: Uint8Array, params: HmacOtpParams, otp1: string, otp2: string, first: number, last: number): PairScan {
  const wellFormed = isWellFormedOtp(otp1, params.digits) && isWellFormedOtp(otp2, params.digits);
  if (!wellFormed || last < first) return { ok: false, reason: 'not_found' };
  const { digits } = params;
  return scanForPair(hotpCodes(key, params), first, last, otpCodeMatcher(otp1, digits), otpCodeMatcher(otp2, digits));
}
