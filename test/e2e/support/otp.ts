import { createHmac } from 'node:crypto';

/** RFC 4226 HOTP, computed by the test from a token's known seed. */
export function hotp(secret: Buffer, counter: number, digits = 6, algorithm = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return code.toString().padStart(digits, '0');
}

/** RFC 6238 TOTP for the time step `step` (period seconds since the epoch). */
export function totpAt(secret: Buffer, step: number, digits = 6): string {
  return hotp(secret, step, digits);
}

export function currentStep(period = 30, now = Date.now()): number {
  return Math.floor(now / 1000 / period);
}
