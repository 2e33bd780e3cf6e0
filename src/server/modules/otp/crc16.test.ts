import { describe, expect, it } from 'vitest';
import { crc16, CRC16_RESIDUE, crc16ResidueValid } from './crc16.js';

describe('crc16 (ISO/IEC 13239)', () => {
  // The CRC catalogue's CRC-16/IBM-SDLC: check 0x906e over "123456789"
  // with the final XOR 0xffff, which YubiKeys leave out, and residue 0xf0b8.
  it('gives the catalogue check value before the final XOR', () => {
    expect(crc16(Buffer.from('123456789')) ^ 0xffff).toBe(0x906e);
  });

  it('leaves the residue 0xf0b8 over data followed by its complemented CRC, little-endian', () => {
    const data = Buffer.from('0123456789abcd');
    const check = ~crc16(data) & 0xffff;
    const block = Buffer.concat([data, Buffer.from([check & 0xff, check >>> 8])]);
    expect(crc16(block)).toBe(CRC16_RESIDUE);
    expect(crc16ResidueValid(block)).toBe(true);
  });

  it('detects a flipped bit', () => {
    const data = Buffer.from('0123456789abcd');
    const check = ~crc16(data) & 0xffff;
    const block = Buffer.concat([data, Buffer.from([check & 0xff, check >>> 8])]);
    for (let bit = 0; bit < block.length * 8; bit++) {
      const damaged = Buffer.from(block);
      damaged[bit >> 3]! ^= 1 << (bit & 7);
      expect(crc16ResidueValid(damaged)).toBe(false);
    }
  });
});
