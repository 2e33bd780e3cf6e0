/**
 * CRC-16 of ISO/IEC 13239 (the X.25 / HDLC frame check) as YubiKeys compute
 * it: reflected polynomial 0x8408, initial value 0xffff, no final XOR. A
 * YubiKey stores the one's complement of the CRC of the first 14 bytes,
 * little-endian, in the last 2, so the CRC over all 16 bytes of a genuine
 * decryption is always the residue 0xf0b8.
 */
export const CRC16_RESIDUE = 0xf0b8;

export function crc16(data: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
    }
  }
  return crc;
}

/** True when `block` ends with a valid checksum of what precedes it. */
export function crc16ResidueValid(block: Uint8Array): boolean {
  return crc16(block) === CRC16_RESIDUE;
}
