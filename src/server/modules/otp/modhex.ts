/**
 * ModHex: hex written with the 16 letters that sit on the same keys on nearly
 * every keyboard layout, because a YubiKey types its OTP as a USB keyboard
 * and the host's layout would otherwise change what arrives.
 */
const MODHEX_ALPHABET = 'cbdefghijklnrtuv';
const MODHEX_VALUES: ReadonlyMap<string, number> = new Map(
  [...MODHEX_ALPHABET].map((char, value) => [char, value]),
);

export function encodeModhex(buf: Uint8Array): string {
  let text = '';
  for (const byte of buf) text += MODHEX_ALPHABET.charAt(byte >>> 4) + MODHEX_ALPHABET.charAt(byte & 0x0f);
  return text;
}

/**
 * Decodes ModHex of either case (a caps-lock typing is still the same OTP);
 * throws on odd length or any other character.
 */
export function decodeModhex(text: string): Buffer {
  if (text.length % 2 !== 0) throw new Error(`invalid modhex length: ${text.length} is odd`);
  const lower = text.toLowerCase();
  const out = Buffer.alloc(lower.length / 2);
  for (let i = 0; i < out.length; i++) {
    const high = MODHEX_VALUES.get(lower.charAt(2 * i));
    const low = MODHEX_VALUES.get(lower.charAt(2 * i + 1));
    if (high === undefined || low === undefined) throw new Error(`invalid modhex character near position ${2 * i + 1}`);
    out[i] = (high << 4) | low;
  }
  return out;
}
