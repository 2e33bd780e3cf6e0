import crypto from 'node:crypto';
import type { HttpClient } from './http-client.js';
import { addToken, addUser } from './factories.js';

/**
 * OTPs as a token would show them, computed here from RFC 4226 / RFC 6238
 * directly (not with the server's engine), so that the API is checked against
 * the standard and not against itself.
 */
export type Algorithm = 'SHA1' | 'SHA256' | 'SHA512';

export function hotpCode(secret: Buffer, counter: number, digits = 6, algorithm: Algorithm = 'SHA1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac(algorithm.toLowerCase(), secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export const stepOf = (unixMs: number, period = 30): number => Math.floor(unixMs / 1000 / period);

export function totpCode(secret: Buffer, step: number, digits = 6, algorithm: Algorithm = 'SHA1'): string {
  return hotpCode(secret, step, digits, algorithm);
}

export const randomSecret = (bytes = 20): Buffer => crypto.randomBytes(bytes);

/**
 * A random secret whose HOTP values at counters 0 .. count - 1 all differ.
 * A 6-digit value comes back by chance about once in a million counters, so
 * with a look-ahead of 10 a replayed OTP equals one in the window about once
 * in 100,000 tries, and the service rightly accepts it then. Tests that
 * replay many OTPs and expect each refused use such a secret, so that they
 * cannot fail by that chance.
 */
export function secretWithDistinctCodes(count: number, digits = 6, algorithm: Algorithm = 'SHA1'): Buffer {
  for (;;) {
    const secret = randomSecret();
    const codes = new Set<string>();
    for (let counter = 0; counter < count && codes.size === counter; counter++) codes.add(hotpCode(secret, counter, digits, algorithm));
    if (codes.size === count) return secret;
  }
}

/** A code of `digits` digits that is none of `avoid` (a sure wrong OTP). */
export function wrongCode(avoid: string[], digits = 6): string {
  for (let n = 0; ; n++) {
    const code = String((123456 + n * 7919) % 10 ** digits).padStart(digits, '0');
    if (!avoid.includes(code)) return code;
  }
}

export interface OtpToken {
  token: any;
  secret: Buffer;
  /** The token's OTP at counter (hotp) or time step (totp). */
  code(at: number): string;
}

/** Counters from 0 whose OTPs a token of addOtpToken never repeats. */
const DISTINCT_COUNTERS = 256;

/** Adds an HMAC token with a fresh random secret (see secretWithDistinctCodes). */
export async function addOtpToken(client: HttpClient, tenant: string, body: Record<string, unknown> = {}): Promise<OtpToken> {
  const digits = (body.digits as number | undefined) ?? 6;
  const algorithm = (body.algorithm as Algorithm | undefined) ?? 'SHA1';
  const secret = secretWithDistinctCodes(DISTINCT_COUNTERS, digits, algorithm);
  const token = await addToken(client, tenant, { type: 'hotp', ...body, secretHex: secret.toString('hex') });
  return { token, secret, code: (at) => hotpCode(secret, at, digits, algorithm) };
}

/** A new user holding one new token per body, each with its own secret. */
export async function holderOf(client: HttpClient, tenant: string, bodies: Record<string, unknown>[]): Promise<{ user: any; tokens: OtpToken[] }> {
  const user = await addUser(client, tenant);
  const tokens: OtpToken[] = [];
  for (const body of bodies) {
    const added = await addOtpToken(client, tenant, body);
    const assigned = await client.post(`/api/v1/tenants/${tenant}/hw-tokens/${added.token.id}/assign`, { userId: user.id });
    if (assigned.status !== 200) throw new Error(`assign failed: ${assigned.text}`);
    tokens.push({ ...added, token: assigned.body });
  }
  return { user, tokens };
}
