/**
 * Text encodings of key material in seed files that the OTP module does not
 * already decode (base32, hex and modhex live in ../otp). Decoders throw on
 * invalid input with a message that never repeats the input: it may be a secret.
 */

/** Strict base64 (PSKC's xs:base64Binary): whitespace allowed, nothing else outside the alphabet. */
export function decodeBase64(text: string): Buffer {
  const clean = text.replace(/\s/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new Error('not valid base64');
  return Buffer.from(clean, 'base64');
}

export function isModhex(text: string): boolean {
  return /^[cbdefghijklnrtuv]+$/.test(text);
}
