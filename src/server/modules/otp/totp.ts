import { otpCodeMatcher } from './constant-time.js';
import { hotpCodes, hotpGenerator, isWellFormedOtp, scanHotpPair } from './hotp.js';
import type { HmacOtpParams } from './otp-params.js';
import type { PairFailureReason } from './pair-search.js';

export type TotpPairResult = { ok: true; step: number } | { ok: false; reason: PairFailureReason };

export interface TotpSearch {
  /** The step the token should show now: current step + stored drift. */
  centerStep: number;
  /** Steps accepted on either side of the center. */
  window: number;
  /** The last step already used; it and every earlier step are replays (RFC 6238 §5.2). */
  afterStep?: number | null;
}

/**
 * RFC 6238 §4.2: T = floor((unix time - T0) / X) with T0 = 0, X in seconds.
 * Tokens this product issues use a TotpPeriod; any whole number of seconds
 * is computed as RFC 6238 §5.2 allows.
 */
export function timeStep(unixMs: number, period: number): number {
  if (!Number.isFinite(unixMs) || unixMs < 0) throw new RangeError(`invalid time ${unixMs}`);
  if (!Number.isSafeInteger(period) || period <= 0) throw new RangeError(`invalid TOTP period ${period}`);
  return Math.floor(unixMs / (period * 1000));
}

/** RFC 6238 §4.2: TOTP = HOTP(K, T). */
export function totp(key: Uint8Array, step: number, params: HmacOtpParams): string {
  return hotpGenerator(key, params)(step);
}

/**
 * Steps centerStep - window .. centerStep + window, nearest first (center,
 * +1, -1, +2, -2, ...): the clock of a token is usually close, and when two
 * steps of the window show the same code the nearer one is the likelier.
 */
function* stepsNearestFirst(centerStep: number, window: number): Generator<number> {
  yield centerStep;
  for (let distance = 1; distance <= window; distance++) {
    yield centerStep + distance;
    yield centerStep - distance;
  }
}

/**
 * Verification (RFC 6238 §5.2, SPEC §5): the step within ± window of the
 * center whose TOTP is `otp`, nearest first, never a step at or before
 * `afterStep` (an OTP is accepted at most once).
 */
export function findTotp(key: Uint8Array, params: HmacOtpParams, otp: string, search: TotpSearch): number | undefined {
  const { centerStep, window } = search;
  assertStepRange(centerStep, window);
  if (!isWellFormedOtp(otp, params.digits)) return undefined;
  const codeAt = hotpCodes(key, params);
  const matches = otpCodeMatcher(otp, params.digits);
  const floor = search.afterStep ?? -1;
  for (const step of stepsNearestFirst(centerStep, window)) {
    if (step > floor && step >= 0 && matches(codeAt(step))) return step;
  }
  return undefined;
}

/**
 * Resynchronisation (SPEC §4): the first step s of centerStep - window ..
 * centerStep + window with otp1 = TOTP(s) and otp2 = TOTP(s + 1), in one
 * pass. The caller sets drift = s + 1 - current step and marks s + 1 used.
 */
export function findTotpPair(
  key: Uint8Array,
  params: HmacOtpParams,
  otp1: string,
  otp2: string,
  centerStep: number,
  window: number,
): TotpPairResult {
  assertStepRange(centerStep, window);
  const scan = scanHotpPair(key, params, otp1, otp2, Math.max(centerStep - window, 0), centerStep + window);
  return scan.ok ? { ok: true, step: scan.position } : scan;
}

/** Steps are counters to HOTP; the +1 leaves room for the pair's second step. */
function assertStepRange(centerStep: number, window: number): void {
  if (!Number.isSafeInteger(window) || window < 0) {
    throw new RangeError(`window must be a non-negative integer, got ${window}`);
  }
  if (!Number.isSafeInteger(centerStep) || !Number.isSafeInteger(centerStep + window + 1)) {
    throw new RangeError(`time step must be an integer, got ${centerStep}`);
  }
}
