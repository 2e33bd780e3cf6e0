import { describe, expect, it } from 'vitest';
import { decodeBase32, decodeHex, encodeBase32 } from './base32.js';

// RFC 4648 §10 test vectors.
const RFC4648_BASE32: Array<[string, string]> = [
  ['', ''],
  ['f', 'MY======'],
  ['fo', 'MZXQ===='],
  ['foo', 'MZXW6==='],
  ['foob', 'MZXW6YQ='],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI======'],
];

describe('decodeBase32', () => {
  it.each(RFC4648_BASE32)('decodes the RFC 4648 vector for %j', (plain, encoded) => {
    expect(decodeBase32(encoded).toString('latin1')).toBe(plain);
  });

  it('accepts lower case, spaces between groups and missing padding', () => {
    expect(decodeBase32('mzxw 6ytb oi').toString()).toBe('foobar');
    expect(decodeBase32('MZXW6YTBOI').toString()).toBe('foobar');
    expect(decodeBase32(' gezd gnbv gy3t qojq gezd gnbv gy3t qojq \n').toString()).toBe('12345678901234567890');
  });

  it('throws on characters outside the alphabet, naming the position only', () => {
    for (const text of ['MZXW1YTB', 'MZXW0YTB', 'MZXW8YTB', 'MZ-W6YTB', 'MZ=W6YTB', 'MZXW6YTÉ']) {
      expect(() => decodeBase32(text)).toThrow(/invalid base32 character at position \d+$/);
    }
  });

  it('throws on lengths that cannot come from whole bytes (a truncated secret)', () => {
    for (const text of ['M', 'MZX', 'MZXW6Y', 'MZXW6YTBO']) {
      expect(() => decodeBase32(text)).toThrow(/invalid base32 length/);
    }
  });
});

describe('encodeBase32', () => {
  it.each(RFC4648_BASE32)('encodes %j without padding', (plain, encoded) => {
    expect(encodeBase32(Buffer.from(plain, 'latin1'))).toBe(encoded.replace(/=+$/, ''));
  });

  it('round-trips every length of random bytes', () => {
    for (let length = 0; length <= 40; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 97 + length * 31) & 0xff));
      expect(decodeBase32(encodeBase32(bytes)).equals(bytes)).toBe(true);
    }
  });
});

describe('decodeHex', () => {
  it('decodes either case', () => {
    expect(decodeHex('00ff10Ab').equals(Buffer.from([0x00, 0xff, 0x10, 0xab]))).toBe(true);
    expect(decodeHex('').length).toBe(0);
  });

  it('throws on odd length rather than dropping the last digit', () => {
    expect(() => decodeHex('abc')).toThrow(/odd/);
  });

  it('throws on non-hex characters rather than stopping there', () => {
    expect(() => decodeHex('00zz')).toThrow(/position 3$/);
    expect(() => decodeHex('0x00')).toThrow(/position 2$/);
    expect(() => decodeHex('00 1')).toThrow(/invalid hex/);
  });
});
