import { createCipheriv, createDecipheriv } from 'node:crypto';
import { bytesEqual } from './constant-time.js';
import { crc16, crc16ResidueValid } from './crc16.js';
import { decodeModhex, encodeModhex } from './modhex.js';

/*
 * Yubico OTP (https://developers.yubico.com/OTP/OTPs_Explained.html): the
 * modhex public id (0-16 bytes) followed by one AES-128-ECB block, modhex
 * encoded, that decrypts to (little-endian fields):
 *   private id 6 | use counter 2 | timestamp 3 | session counter 1 | random 2 | crc 2
 */

const BLOCK_BYTES = 16;
const PRIVATE_ID_BYTES = 6;
const OTP_PATTERN = /^[cbdefghijklnrtuv]{32,64}$/;
/**
 * The top bit of the use counter is a flag, not part of the count (yubico-c
 * yubikey.h: yubikey_counter(ctr) = ctr & 0x7FFF); left in, an OTP typed
 * once with the flag set would make every later one look like a replay.
 */
const USE_COUNTER_MASK = 0x7fff;

export interface YubicoOtpParts {
  publicId: string;
  ciphertext: Buffer;
}

export interface YubicoCounters {
  /** Non-volatile: incremented at each power-up (or when the session counter wraps). */
  useCounter: number;
  /** Incremented at each OTP since power-up. */
  sessionCounter: number;
}

export interface YubicoOtpFields extends YubicoCounters {
  privateId: Buffer;
  /** 24-bit 8 Hz clock started at a random value on power-up. */
  timestamp: number;
  random: number;
  crcValid: boolean;
}

export interface YubicoKeys {
  aesKey: Buffer;
  privateId: Buffer;
  publicId: string;
}

export type YubicoFailureReason = 'malformed' | 'public_id' | 'crc' | 'private_id' | 'replay';

export type YubicoCheckResult = ({ ok: true } & YubicoCounters) | { ok: false; reason: YubicoFailureReason };

/**
 * Splits an OTP into public id and ciphertext. Either case is accepted (an
 * OTP typed with caps lock on is the same OTP); an odd length or any
 * character outside modhex is not an OTP.
 */
export function parseYubicoOtp(otp: string): YubicoOtpParts | undefined {
  const lower = otp.toLowerCase();
  if (!OTP_PATTERN.test(lower) || lower.length % 2 !== 0) return undefined;
  const split = lower.length - BLOCK_BYTES * 2;
  return { publicId: lower.slice(0, split), ciphertext: decodeModhex(lower.slice(split)) };
}

export function decryptYubicoOtp(aesKey: Buffer, ciphertext: Buffer): YubicoOtpFields {
  assertLength('AES key', aesKey, BLOCK_BYTES);
  assertLength('ciphertext', ciphertext, BLOCK_BYTES);
  const decipher = createDecipheriv('aes-128-ecb', aesKey, null).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return {
    privateId: plain.subarray(0, PRIVATE_ID_BYTES),
    useCounter: plain.readUInt16LE(6) & USE_COUNTER_MASK,
    timestamp: plain.readUIntLE(8, 3),
    sessionCounter: plain.readUInt8(11),
    random: plain.readUInt16LE(12),
    crcValid: crc16ResidueValid(plain),
  };
}

/**
 * Verification (SPEC §5), in the order that tells the most without trusting
 * anything unproven: the public id must be this token's, the CRC proves the
 * AES key decrypted it, the private id proves it came from this token, and
 * (use counter, session counter) must be strictly past the last accepted
 * pair, compared in that order, or it is a replay.
 */
export function checkYubicoOtp(keys: YubicoKeys, otp: string, last: YubicoCounters | null): YubicoCheckResult {
  const parts = parseYubicoOtp(otp);
  if (!parts) return { ok: false, reason: 'malformed' };
  if (parts.publicId !== keys.publicId.toLowerCase()) return { ok: false, reason: 'public_id' };
  const fields = decryptYubicoOtp(keys.aesKey, parts.ciphertext);
  if (!fields.crcValid) return { ok: false, reason: 'crc' };
  if (!bytesEqual(fields.privateId, keys.privateId)) return { ok: false, reason: 'private_id' };
  if (last && !countersAfter(fields, last)) return { ok: false, reason: 'replay' };
  return { ok: true, useCounter: fields.useCounter, sessionCounter: fields.sessionCounter };
}

function countersAfter(next: YubicoCounters, last: YubicoCounters): boolean {
  if (next.useCounter !== last.useCounter) return next.useCounter > last.useCounter;
  return next.sessionCounter > last.sessionCounter;
}

/** What a YubiKey would type for these field values: for tests, simulators and benchmarks. */
export function encodeYubicoOtp(
  keys: YubicoKeys,
  fields: YubicoCounters & { timestamp: number; random: number },
): string {
  assertLength('AES key', keys.aesKey, BLOCK_BYTES);
  assertLength('private id', keys.privateId, PRIVATE_ID_BYTES);
  const plain = Buffer.alloc(BLOCK_BYTES);
  keys.privateId.copy(plain, 0);
  plain.writeUInt16LE(fields.useCounter, 6);
  plain.writeUIntLE(fields.timestamp, 8, 3);
  plain.writeUInt8(fields.sessionCounter, 11);
  plain.writeUInt16LE(fields.random, 12);
  plain.writeUInt16LE(~crc16(plain.subarray(0, 14)) & 0xffff, 14);
  const cipher = createCipheriv('aes-128-ecb', keys.aesKey, null).setAutoPadding(false);
  const block = Buffer.concat([cipher.update(plain), cipher.final()]);
  return keys.publicId.toLowerCase() + encodeModhex(block);
}

function assertLength(name: string, buf: Buffer, bytes: number): void {
  if (buf.length !== bytes) throw new RangeError(`${name} must be ${bytes} bytes, got ${buf.length}`);
}
