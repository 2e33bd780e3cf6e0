import { findTotp, findTotpPair, timeStep } from '../../otp/index.js';
import type { TokenTypeHandler } from './token-type.js';
import { hmacKeyMaterial, hmacSecret } from './hmac-material.js';
import { hasTokenDigits, hmacParams } from './hotp-type.js';

/** RFC 6238 time-based tokens. */
export const totpType: TokenTypeHandler = {
  type: 'totp',
  capabilities: { reset: true },
  keyMaterial: hmacKeyMaterial,
  initialState: (spec) => ({ algorithm: spec.algorithm, digits: spec.digits, period: spec.period, counter: 0, drift: spec.drift, last_step: null }),
  isFor: hasTokenDigits,

  // SPEC.md §5: current step + drift ± window; a step at or below the last used
  // one is a replay. The drift follows the token by at most one window per use.
  verify(state, material, otp, settings, now) {
    const current = timeStep(now, state.period ?? 30);
    const step = findTotp(hmacSecret(material), hmacParams(state), otp, {
      centerStep: current + state.drift,
      window: settings.totpWindow,
      afterStep: state.last_step ?? undefined,
    });
    return step === undefined ? undefined : { last_step: step, drift: step - current };
  },

  // SPEC.md §4: otp1 = TOTP(s), otp2 = TOTP(s+1) within ± the sync window around
  // now; the drift becomes (s+1) − current step and s+1 counts as used.
  resync(state, material, otp1, otp2, settings, now) {
    const current = timeStep(now, state.period ?? 30);
    const found = findTotpPair(hmacSecret(material), hmacParams(state), otp1, otp2, current, settings.totpSyncWindow);
    if (!found.ok) return { ok: false, reason: found.reason };
    // Steps at or before the last used one were accepted already: moving the
    // token back to them would let those OTPs verify a second time.
    if (state.last_step !== null && found.step <= state.last_step) return { ok: false, reason: 'used' };
    return { ok: true, change: { drift: found.step + 1 - current, last_step: found.step + 1 } };
  },
};
