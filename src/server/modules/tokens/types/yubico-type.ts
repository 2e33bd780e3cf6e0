import { checkYubicoOtp, parseYubicoOtp } from '../../otp/index.js';
import type { TokenSpec } from '../token-spec.js';
import type { TokenTypeHandler } from './token-type.js';

/** Key material at rest: private id (6 bytes) then the AES-128 key (16 bytes). */
function yubicoMaterial(spec: TokenSpec): Buffer {
  if (!spec.privateId || !spec.aesKey) throw new Error('a yubico token needs a private id and an AES key');
  return Buffer.concat([spec.privateId, spec.aesKey]);
}

/** Yubico OTP: AES-128 with use and session counters; no resync (SPEC.md §2). */
export const yubicoType: TokenTypeHandler = {
  type: 'yubico',
  capabilities: { reset: false },
  keyMaterial: yubicoMaterial,
  initialState: (spec) => ({
    algorithm: null, digits: null, period: null, yubico_public_id: spec.publicId ?? null,
    yubico_use_counter: null, yubico_session_counter: null,
  }),
  // The public id names the token (SPEC.md §5): a Yubico OTP is for the key that sends it.
  isFor: (state, otp) => parseYubicoOtp(otp)?.publicId === state.yubico_public_id,

  verify(state, material, otp) {
    const last = state.yubico_use_counter === null
      ? null
      : { useCounter: state.yubico_use_counter, sessionCounter: state.yubico_session_counter ?? 0 };
    const result = checkYubicoOtp(
      { privateId: material.subarray(0, 6), aesKey: material.subarray(6, 22), publicId: state.yubico_public_id ?? '' },
      otp,
      last,
    );
    return result.ok ? { yubico_use_counter: result.useCounter, yubico_session_counter: result.sessionCounter } : undefined;
  },
};
