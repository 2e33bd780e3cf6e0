/**
 * Text encodings of key material as seed files and provisioning URIs carry it:
 * Base32 (RFC 4648 §6, the `secret=` of otpauth URIs) and hex (PSKC, CSV).
 *
 * Errors name a position, never the offending text: the text is a secret.
 */

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE32_VALUES: ReadonlyMap<string, number> = new Map(
  [...BASE32_ALPHABET].map((char, value) => [char, value]),
);

/**
 * Lengths (mod 8) that no whole number of bytes encodes to (RFC 4648 §6: a
 * quantum ends after 2, 4, 5 or 7 characters). Such text was cut short, and a
 * truncated secret must be refused rather than silently shortened.
 */
const IMPOSSIBLE_BASE32_REMAINDERS = new Set([1, 3, 6]);

/**
 * Decodes RFC 4648 Base32, as people and apps write it: any case, spaces or
 * line breaks between groups, with or without the trailing '=' padding.
 */
export function decodeBase32(text: string): Buffer {
  const symbols = text.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  if (IMPOSSIBLE_BASE32_REMAINDERS.has(symbols.length % 8)) {
    throw new Error(`invalid base32 length: ${symbols.length} characters cannot encode whole bytes`);
  }
  const out = Buffer.alloc(Math.floor((symbols.length * 5) / 8));
  let bits = 0;
  let bitCount = 0;
  let written = 0;
  for (let i = 0; i < symbols.length; i++) {
    const value = BASE32_VALUES.get(symbols.charAt(i));
    if (value === undefined) throw new Error(`invalid base32 character at position ${i + 1}`);
    bits = ((bits << 5) | value) & 0xfff;
    bitCount += 5;
    if (bitCount >= 8) {
      bitCount -= 8;
      out[written++] = (bits >>> bitCount) & 0xff;
    }
  }
  // Leftover bits (< 8) are the zero padding of the last quantum (RFC 4648 §3.5);
  // they are ignored rather than checked, as common authenticator apps do.
  return out;
}

/** Encodes as upper-case RFC 4648 Base32 without '=' padding (the otpauth URI form). */
export function encodeBase32(buf: Uint8Array): string {
  let text = '';
  let bits = 0;
  let bitCount = 0;
  for (const byte of buf) {
    bits = ((bits << 8) | byte) & 0xfff;
    bitCount += 8;
    while (bitCount >= 5) {
      bitCount -= 5;
      text += BASE32_ALPHABET.charAt((bits >>> bitCount) & 0x1f);
    }
  }
  if (bitCount > 0) text += BASE32_ALPHABET.charAt((bits << (5 - bitCount)) & 0x1f);
  return text;
}

/**
 * Decodes hex strictly: Buffer.from(text, 'hex') stops silently at the first
 * bad pair, which would store a shorter key than the one the token holds.
 */
export function decodeHex(text: string): Buffer {
  if (text.length % 2 !== 0) throw new Error(`invalid hex length: ${text.length} is odd`);
  const bad = text.search(/[^0-9a-fA-F]/);
  if (bad !== -1) throw new Error(`invalid hex character at position ${bad + 1}`);
  return Buffer.from(text, 'hex');
}
