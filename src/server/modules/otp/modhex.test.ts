import { describe, expect, it } from 'vitest';
import { decodeModhex, encodeModhex } from './modhex.js';

describe('modhex', () => {
  // yubico-c tests/selftest.c: modhex-encode("test") = "ifhgieif".
  it('encodes and decodes the yubico-c self-test vector', () => {
    expect(encodeModhex(Buffer.from('test'))).toBe('ifhgieif');
    expect(decodeModhex('ifhgieif').toString()).toBe('test');
  });

  it('maps hex digits 0-f to c b d e f g h i j k l n r t u v', () => {
    expect(encodeModhex(Buffer.from('0123456789abcdef', 'hex'))).toBe('cbdefghijklnrtuv');
    expect(decodeModhex('cbdefghijklnrtuv').toString('hex')).toBe('0123456789abcdef');
  });

  it('decodes upper case (typed with caps lock) to the same bytes', () => {
    expect(decodeModhex('IFHGIEIF').toString()).toBe('test');
  });

  it('throws on odd length or characters outside the alphabet', () => {
    expect(() => decodeModhex('ifhgieí')).toThrow(/odd/);
    expect(() => decodeModhex('ifhgiea')).toThrow(/odd/);
    for (const text of ['ifhgieia', 'ifhgie0f', 'ifhg ief']) expect(() => decodeModhex(text)).toThrow(/invalid modhex/);
  });

  it('round-trips all byte values', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(decodeModhex(encodeModhex(bytes)).equals(bytes)).toBe(true);
  });
});
