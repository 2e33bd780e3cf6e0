import crypto from 'node:crypto';
import { uniqueSerial } from './factories.js';
import type { HttpClient } from './http-client.js';

/**
 * A YubiKey in Yubico OTP mode, built here from the published format and not
 * from the server's engine: a 16-byte block (private id 6, use counter 2,
 * timestamp 3, session counter 1, random 2, CRC-16 2, little-endian),
 * AES-128-ECB encrypted, modhex encoded after the public id.
 */
const MODHEX = 'cbdefghijklnrtuv';

export const modhex = (bytes: Buffer): string => [...bytes].map((b) => MODHEX[b >> 4]! + MODHEX[b & 0x0f]!).join('');

/** CRC-16 of ISO 13239 (reflected polynomial 0x8408, initial 0xffff). */
function crc16(data: Buffer): number {
  let crc = 0xffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc;
}

export interface YubiKeyIdentity {
  publicId: string;
  privateId: Buffer;
  aesKey: Buffer;
}

export function newYubiKeyIdentity(): YubiKeyIdentity {
  return { publicId: modhex(crypto.randomBytes(6)), privateId: crypto.randomBytes(6), aesKey: crypto.randomBytes(16) };
}

/** The body that adds this key as a `yubico` token. */
export const yubicoTokenBody = (key: YubiKeyIdentity) => ({
  type: 'yubico', publicId: key.publicId, privateId: key.privateId.toString('hex'), aesKey: key.aesKey.toString('hex'),
});

/** Adds the key as a token over the API and returns its JSON (throws unless 201). */
export async function addYubicoToken(client: HttpClient, tenant: string, key: YubiKeyIdentity, extra: Record<string, unknown> = {}): Promise<any> {
  const reply = await client.post(`/api/v1/tenants/${tenant}/hw-tokens`, { serial: uniqueSerial('YK'), ...yubicoTokenBody(key), ...extra });
  if (reply.status !== 201) throw new Error(`yubico token not added: ${reply.text}`);
  return reply.body;
}

export interface OtpFields {
  useCounter: number;
  sessionCounter: number;
  timestamp?: number;
  /** Flip a bit of the CRC (a corrupted OTP). */
  badCrc?: boolean;
  /** Another private id inside the block (a key cloned with the wrong identity). */
  privateId?: Buffer;
}

export function yubicoOtp(key: YubiKeyIdentity, fields: OtpFields): string {
  const block = Buffer.alloc(16);
  (fields.privateId ?? key.privateId).copy(block, 0);
  block.writeUInt16LE(fields.useCounter, 6);
  block.writeUIntLE(fields.timestamp ?? crypto.randomInt(0, 0xffffff), 8, 3);
  block.writeUInt8(fields.sessionCounter, 11);
  block.writeUInt16LE(crypto.randomInt(0, 0xffff), 12);
  block.writeUInt16LE((~crc16(block.subarray(0, 14)) & 0xffff) ^ (fields.badCrc ? 1 : 0), 14);
  const cipher = crypto.createCipheriv('aes-128-ecb', key.aesKey, null).setAutoPadding(false);
  return key.publicId + modhex(Buffer.concat([cipher.update(block), cipher.final()]));
}

/** A key that counts its presses: each `press` is the next OTP. */
export class SimulatedYubiKey {
  private session = 0;
  constructor(readonly identity: YubiKeyIdentity = newYubiKeyIdentity(), private use = 1) {}

  press(): string {
    if (this.session === 0xff) this.powerCycle();
    return yubicoOtp(this.identity, { useCounter: this.use, sessionCounter: this.session++ });
  }

  /** Unplug and plug in again: the use counter moves on, the session counter starts over. */
  powerCycle(): void {
    this.use += 1;
    this.session = 0;
  }
}
