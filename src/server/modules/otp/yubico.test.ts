import { describe, expect, it } from 'vitest';
import { decodeModhex } from './modhex.js';
import { checkYubicoOtp, decryptYubicoOtp, encodeYubicoOtp, parseYubicoOtp, type YubicoKeys } from './yubico.js';

/*
 * Published vectors:
 * - YubiOTP (Python, https://pythonhosted.org/YubiOTP/otp.html, module
 *   docstring of yubiotp.otp): key b'0123456789abcdef', OTP(uid 0123456789ab,
 *   session 5, timestamp 0x0153f8, counter 0, rand 0x1234) with public id
 *   'cclngiuv' encodes to 'cclngiuvttkhthcilurtkerbjnnkljfkjccklkhl'.
 * - node-yubikeyotp README (https://github.com/jfedyczak/node-yubikeyotp): a
 *   device OTP and its AES key, parsed to pubUid 962bced923b2, uid
 *   4e8308389518, useCtr 7, tstp 1768874, sessionCtr 0, rnd 199.
 */
const YUBIOTP: YubicoKeys = {
  aesKey: Buffer.from('0123456789abcdef'),
  privateId: Buffer.from('0123456789ab', 'hex'),
  publicId: 'cclngiuv',
};
const YUBIOTP_OTP = 'cclngiuvttkhthcilurtkerbjnnkljfkjccklkhl';

const DEVICE_KEY = Buffer.from('e6cdae77f55ac1db4acd3b7fd8151334', 'hex');
const DEVICE_OTP = 'khdnrutkdendbrbghdjcidkhveuhbrcuublkdjfttcrk';

const KEYS: YubicoKeys = {
  aesKey: Buffer.from('00112233445566778899aabbccddeeff', 'hex'),
  privateId: Buffer.from('a1a2a3a4a5a6', 'hex'),
  publicId: 'vvcccbhjdvtn',
};

function otpWith(useCounter: number, sessionCounter: number, keys: YubicoKeys = KEYS): string {
  return encodeYubicoOtp(keys, { useCounter, sessionCounter, timestamp: 0x123456, random: 0xbeef });
}

describe('Yubico OTP published vectors', () => {
  it('decodes the YubiOTP vector', () => {
    const parts = parseYubicoOtp(YUBIOTP_OTP);
    expect(parts?.publicId).toBe('cclngiuv');
    expect(decryptYubicoOtp(YUBIOTP.aesKey, parts!.ciphertext)).toEqual({
      privateId: YUBIOTP.privateId,
      useCounter: 5,
      timestamp: 0x0153f8,
      sessionCounter: 0,
      random: 0x1234,
      crcValid: true,
    });
  });

  it('encodes the YubiOTP vector', () => {
    const fields = { useCounter: 5, sessionCounter: 0, timestamp: 0x0153f8, random: 0x1234 };
    expect(encodeYubicoOtp(YUBIOTP, fields)).toBe(YUBIOTP_OTP);
  });

  it('decodes the node-yubikeyotp device OTP', () => {
    const parts = parseYubicoOtp(DEVICE_OTP)!;
    expect(decodeModhex(parts.publicId).toString('hex')).toBe('962bced923b2');
    const fields = decryptYubicoOtp(DEVICE_KEY, parts.ciphertext);
    expect({ ...fields, privateId: fields.privateId.toString('hex') }).toEqual({
      privateId: '4e8308389518',
      useCounter: 7,
      timestamp: 1768874,
      sessionCounter: 0,
      random: 199,
      crcValid: true,
    });
  });
});

describe('parseYubicoOtp', () => {
  it('splits off the last 32 characters as the ciphertext, whatever the public id length', () => {
    const block = DEVICE_OTP.slice(-32);
    for (const publicId of ['', 'cc', 'khdnrutkdend', 'cbdefghijklnrtuvcbdefghijklnrtuv']) {
      const parts = parseYubicoOtp(publicId + block);
      expect(parts?.publicId).toBe(publicId);
      expect(parts?.ciphertext.length).toBe(16);
    }
  });

  it('accepts upper or mixed case as the same OTP', () => {
    expect(parseYubicoOtp(DEVICE_OTP.toUpperCase())).toEqual(parseYubicoOtp(DEVICE_OTP));
    expect(parseYubicoOtp('KHDNrutkdend' + DEVICE_OTP.slice(12))?.publicId).toBe('khdnrutkdend');
  });

  it('rejects anything else', () => {
    const tooLong = 'c'.repeat(34) + DEVICE_OTP.slice(-32);
    for (const otp of ['', DEVICE_OTP.slice(-31), 'c' + DEVICE_OTP, tooLong, DEVICE_OTP.replace('k', 'a'), ` ${DEVICE_OTP}`, `${DEVICE_OTP}\n`, '755224']) {
      expect(parseYubicoOtp(otp), JSON.stringify(otp)).toBeUndefined();
    }
  });
});

describe('decryptYubicoOtp', () => {
  it('reports an invalid CRC for the wrong AES key', () => {
    const parts = parseYubicoOtp(DEVICE_OTP)!;
    expect(decryptYubicoOtp(KEYS.aesKey, parts.ciphertext).crcValid).toBe(false);
  });

  it('leaves the flag bit out of the use counter (yubico-c yubikey_counter)', () => {
    const parts = parseYubicoOtp(otpWith(0x8000 | 42, 3))!;
    expect(decryptYubicoOtp(KEYS.aesKey, parts.ciphertext).useCounter).toBe(42);
  });

  it('throws on a key or block of the wrong size (a caller bug)', () => {
    expect(() => decryptYubicoOtp(Buffer.alloc(15), Buffer.alloc(16))).toThrow(RangeError);
    expect(() => decryptYubicoOtp(Buffer.alloc(16), Buffer.alloc(17))).toThrow(RangeError);
  });
});

describe('checkYubicoOtp', () => {
  it('accepts a good OTP and returns its counters', () => {
    expect(checkYubicoOtp(KEYS, otpWith(3, 7), null)).toEqual({ ok: true, useCounter: 3, sessionCounter: 7 });
    expect(checkYubicoOtp(YUBIOTP, YUBIOTP_OTP, null)).toEqual({ ok: true, useCounter: 5, sessionCounter: 0 });
    expect(checkYubicoOtp({ ...KEYS, publicId: KEYS.publicId.toUpperCase() }, otpWith(3, 7).toUpperCase(), null).ok).toBe(true);
  });

  it("answers 'malformed' for text that is not a Yubico OTP", () => {
    expect(checkYubicoOtp(KEYS, '123456', null)).toEqual({ ok: false, reason: 'malformed' });
  });

  it("answers 'public_id' for another token's OTP", () => {
    const other = { ...KEYS, publicId: 'vvcccbhjdvtr' };
    expect(checkYubicoOtp(KEYS, otpWith(3, 7, other), null)).toEqual({ ok: false, reason: 'public_id' });
  });

  it("answers 'crc' when the AES key does not decrypt it", () => {
    const otherKey = { ...KEYS, aesKey: Buffer.alloc(16, 7) };
    expect(checkYubicoOtp(KEYS, otpWith(3, 7, otherKey), null)).toEqual({ ok: false, reason: 'crc' });
  });

  it("answers 'private_id' when the decrypted identity is not the token's", () => {
    const cloned = { ...KEYS, privateId: Buffer.from('a1a2a3a4a5a7', 'hex') };
    expect(checkYubicoOtp(KEYS, otpWith(3, 7, cloned), null)).toEqual({ ok: false, reason: 'private_id' });
  });

  it("answers 'replay' unless (use, session) is strictly after the last accepted pair", () => {
    const last = { useCounter: 3, sessionCounter: 7 };
    expect(checkYubicoOtp(KEYS, otpWith(3, 7), last)).toEqual({ ok: false, reason: 'replay' });
    expect(checkYubicoOtp(KEYS, otpWith(3, 6), last)).toEqual({ ok: false, reason: 'replay' });
    expect(checkYubicoOtp(KEYS, otpWith(2, 200), last)).toEqual({ ok: false, reason: 'replay' });
    expect(checkYubicoOtp(KEYS, otpWith(3, 8), last)).toEqual({ ok: true, useCounter: 3, sessionCounter: 8 });
    expect(checkYubicoOtp(KEYS, otpWith(4, 0), last)).toEqual({ ok: true, useCounter: 4, sessionCounter: 0 });
  });
});
