import type { TokenSpec } from '../token-spec.js';

/** HOTP/TOTP key material at rest is the bare shared secret. */
export const hmacKeyMaterial = (spec: TokenSpec): Buffer => {
  if (!spec.secret) throw new Error('an HMAC token needs a secret');
  return spec.secret;
};
export const hmacSecret = (material: Buffer): Buffer => material;
