import { findHotp, findHotpPair, isWellFormedOtp } from '../../otp/index.js';
import type { HmacOtpParams } from '../../otp/otp-params.js';
import type { TokenState, TokenTypeHandler } from './token-type.js';
import { hmacKeyMaterial, hmacSecret } from './hmac-material.js';

export const hmacParams = (state: TokenState): HmacOtpParams => ({
  algorithm: (state.algorithm ?? 'SHA1') as HmacOtpParams['algorithm'],
  digits: (state.digits ?? 6) as HmacOtpParams['digits'],
});

/** An OTP of as many digits as the (HOTP or TOTP) token shows. */
export const hasTokenDigits = (state: TokenState, otp: string): boolean => isWellFormedOtp(otp, hmacParams(state).digits);

/** RFC 4226 event-based tokens. */
export const hotpType: TokenTypeHandler = {
  type: 'hotp',
  capabilities: { reset: true },
  keyMaterial: hmacKeyMaterial,
  initialState: (spec) => ({ algorithm: spec.algorithm, digits: spec.digits, period: null, counter: spec.counter }),
  isFor: hasTokenDigits,

  // Look-ahead window from the stored counter; the counter moves past the match
  // so that the same OTP (and every earlier one) is never accepted again.
  verify(state, material, otp, settings) {
    const matched = findHotp(hmacSecret(material), hmacParams(state), otp, state.counter, settings.hotpLookAhead);
    return matched === undefined ? undefined : { counter: matched + 1 };
  },

  // SPEC.md §4: otp1 = HOTP(c), otp2 = HOTP(c+1) within the sync window; the counter becomes c+2.
  resync(state, material, otp1, otp2, settings) {
    const found = findHotpPair(hmacSecret(material), hmacParams(state), otp1, otp2, state.counter, settings.hotpSyncWindow);
    return found.ok ? { ok: true, change: { counter: found.counter + 2 } } : { ok: false, reason: found.reason };
  },
};
