import { HASH_ALGORITHMS, OTP_DIGITS, TOTP_PERIODS, type HashAlgorithm, type OtpDigits, type TotpPeriod } from '../otp/otp-params.js';
import { looksLikeId } from '../../lib/ids.js';

export const TOKEN_TYPES = ['hotp', 'totp', 'yubico'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

/**
 * A token as it enters the inventory (one POST, or one entry of a seed file),
 * with its key material in clear. It is validated by `tokenSpecProblems`
 * before anything is stored.
 */
export interface TokenSpec {
  serial: string;
  type: TokenType;
  algorithm: HashAlgorithm;
  digits: OtpDigits;
  period: TotpPeriod;
  counter: number;
  /** TOTP clock drift in time steps, as a seed file may declare it. */
  drift: number;
  /** HOTP/TOTP shared secret. */
  secret?: Buffer;
  /** Yubico OTP: public id (modhex), private id (6 bytes), AES-128 key. */
  publicId?: string;
  privateId?: Buffer;
  aesKey?: Buffer;
  vendor?: string | null;
  model?: string | null;
  description?: string | null;
}

/** RFC 4226 R6 asks for at least 128 bits of shared secret. */
export const MIN_SECRET_BYTES = 16;
export const MAX_SECRET_BYTES = 128;
export const MAX_SERIAL_LENGTH = 64;
const SERIAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:\-/]*$/;
const MODHEX_PATTERN = /^[cbdefghijklnrtuv]{2,32}$/;

/** Every reason why `spec` cannot enter the inventory; empty when it can. */
export function tokenSpecProblems(spec: TokenSpec): string[] {
  const problems: string[] = [];
  if (!spec.serial || spec.serial.length > MAX_SERIAL_LENGTH || !SERIAL_PATTERN.test(spec.serial)) {
    problems.push(`serial must be 1-${MAX_SERIAL_LENGTH} letters, digits or . _ : - /, starting with a letter or digit`);
  }
  // Paths and filters take a token by id or by serial.
  if (spec.serial && looksLikeId(spec.serial)) problems.push('serial cannot have the shape of a token id (a UUID)');
  if (!TOKEN_TYPES.includes(spec.type)) problems.push(`unknown token type "${String(spec.type)}"`);
  if (spec.type === 'yubico') problems.push(...yubicoProblems(spec));
  else problems.push(...hmacProblems(spec));
  for (const field of ['vendor', 'model'] as const) {
    if ((spec[field]?.length ?? 0) > 100) problems.push(`${field} is longer than 100 characters`);
  }
  if ((spec.description?.length ?? 0) > 500) problems.push('description is longer than 500 characters');
  return problems;
}

function hmacProblems(spec: TokenSpec): string[] {
  const problems: string[] = [];
  if (!HASH_ALGORITHMS.includes(spec.algorithm)) problems.push(`unsupported algorithm "${String(spec.algorithm)}"`);
  if (!OTP_DIGITS.includes(spec.digits)) problems.push(`digits must be 6 or 8, not ${String(spec.digits)}`);
  if (spec.type === 'totp' && !TOTP_PERIODS.includes(spec.period)) {
    problems.push(`period must be 30 or 60 seconds, not ${String(spec.period)}`);
  }
  if (!Number.isSafeInteger(spec.counter) || spec.counter < 0) problems.push('counter must be an integer from 0 to 2^53 - 1 (9007199254740991)');
  if (!Number.isSafeInteger(spec.drift) || Math.abs(spec.drift) > 100_000) problems.push('drift must be an integer number of steps');
  if (!spec.secret) problems.push('secret is missing');
  else if (spec.secret.length < MIN_SECRET_BYTES || spec.secret.length > MAX_SECRET_BYTES) {
    problems.push(`secret must be ${MIN_SECRET_BYTES}-${MAX_SECRET_BYTES} bytes, not ${spec.secret.length}`);
  }
  return problems;
}

function yubicoProblems(spec: TokenSpec): string[] {
  const problems: string[] = [];
  if (!spec.publicId || !MODHEX_PATTERN.test(spec.publicId)) problems.push('publicId must be 2-32 modhex characters');
  if (spec.privateId?.length !== 6) problems.push('privateId must be 6 bytes (12 hex digits)');
  if (spec.aesKey?.length !== 16) problems.push('aesKey must be 16 bytes (32 hex digits)');
  return problems;
}

/** Defaults that SPEC.md §6 gives for fields a caller or a seed file leaves out. */
export const TOKEN_SPEC_DEFAULTS = { algorithm: 'SHA1', digits: 6, period: 30, counter: 0, drift: 0 } as const;
