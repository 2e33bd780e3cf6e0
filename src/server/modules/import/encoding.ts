/**
 * Text encodings of key material in seed files. Each decoder throws on invalid
 * input with a message that never repeats the input (it may be a secret).
 */

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const MODHEX_ALPHABET = 'cbdefghijklnrtuv';

/** RFC 4648 base32; case-insensitive, spaces and trailing `=` padding allowed (as authenticator apps show it). */
export function decodeBase32(text: string): Buffer {
  const clean = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  if (clean.length === 0 || !/^[A-Z2-7]+$/.test(clean)) throw new Error('not valid base32');
  // A length of 1, 3 or 6 mod 8 cannot come from whole bytes.
  if ([1, 3, 6].includes(clean.length % 8)) throw new Error('not valid base32 (bad length)');
  const out = Buffer.alloc(Math.floor((clean.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of clean) {
    value = (value << 5) | BASE32_ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      out[index++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}

/** Hex digits, either case, optional spaces between bytes. */
export function decodeHex(text: string): Buffer {
  const clean = text.replace(/\s/g, '');
  if (clean.length === 0 || clean.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(clean)) throw new Error('not valid hex');
  return Buffer.from(clean, 'hex');
}

/** Strict base64 (PSKC's xs:base64Binary): whitespace allowed, nothing else outside the alphabet. */
export function decodeBase64(text: string): Buffer {
  const clean = text.replace(/\s/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new Error('not valid base64');
  return Buffer.from(clean, 'base64');
}

export function isModhex(text: string): boolean {
  return /^[cbdefghijklnrtuv]+$/.test(text);
}

/** Yubico's modhex: hex digits spelled with keyboard-layout-independent letters. */
export function modhexToHex(text: string): string {
  return [...text].map((c) => MODHEX_ALPHABET.indexOf(c).toString(16)).join('');
}

export function hexToModhex(text: string): string {
  return [...text.toLowerCase()].map((c) => MODHEX_ALPHABET[parseInt(c, 16)]).join('');
}
