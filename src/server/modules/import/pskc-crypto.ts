import { createDecipheriv, createHmac, pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { decodeBase64 } from './encoding.js';
import type { EncryptedData, Pbkdf2Params, PskcHeader, PskcValue } from './pskc-model.js';
import { SeedFileError, quote, type ParseOptions } from './seed-types.js';

const pbkdf2Async = promisify(pbkdf2);

/** One message for every sign of a wrong key: a reader must not learn which check failed. */
export const WRONG_KEY_OR_PASSWORD =
  'the MAC did not match: the pre-shared key or password is wrong, or the file was altered';

const MAX_PBKDF2_ITERATIONS = 10_000_000;

interface CipherSpec {
  name: string;
  keyLength: number;
  mode: 'cbc' | 'wrap';
}

/** XML Encryption algorithms (the URI fragment after `#`), as RFC 6030 §6.1 uses them. */
const CIPHERS: Record<string, CipherSpec> = {
  'aes128-cbc': { name: 'aes-128-cbc', keyLength: 16, mode: 'cbc' },
  'aes192-cbc': { name: 'aes-192-cbc', keyLength: 24, mode: 'cbc' },
  'aes256-cbc': { name: 'aes-256-cbc', keyLength: 32, mode: 'cbc' },
  'kw-aes128': { name: 'id-aes128-wrap', keyLength: 16, mode: 'wrap' },
  'kw-aes192': { name: 'id-aes192-wrap', keyLength: 24, mode: 'wrap' },
  'kw-aes256': { name: 'id-aes256-wrap', keyLength: 32, mode: 'wrap' },
  'kw-aes-128-pad': { name: 'id-aes128-wrap', keyLength: 16, mode: 'wrap' },
  'kw-aes-192-pad': { name: 'id-aes192-wrap', keyLength: 24, mode: 'wrap' },
  'kw-aes-256-pad': { name: 'id-aes256-wrap', keyLength: 32, mode: 'wrap' },
};

const HMAC_HASHES: Record<string, string> = {
  'hmac-sha1': 'sha1',
  'hmac-sha224': 'sha224',
  'hmac-sha256': 'sha256',
  'hmac-sha384': 'sha384',
  'hmac-sha512': 'sha512',
};

/** A value this entry cannot be read from, while the rest of the file can. */
export class EntryError extends Error {}

/**
 * The keys of an encrypted container: the encryption key (pre-shared, or
 * derived from a password with PBKDF2, RFC 6030 §6.2) and the MAC key, which
 * `<MACMethod><MACKey>` carries encrypted under the encryption key (§6.1.1).
 */
export class PskcDecryptor {
  private constructor(
    private readonly key: Buffer,
    private readonly macHash: string | undefined,
    private readonly macKey: Buffer,
  ) {}

  static async create(header: PskcHeader, options: ParseOptions): Promise<PskcDecryptor> {
    const key = await encryptionKey(header, options);
    const macHash = header.macAlgorithm === undefined ? undefined : hmacHash(header.macAlgorithm);
    // Older drafts had no <MACKey> and used the encryption key itself.
    let macKey = key;
    if (header.macKey) {
      if (!header.macKey.cipherValue) throw new SeedFileError('<MACKey> holds no CipherValue');
      macKey = decryptRaw(key, header.macKey);
    }
    return new PskcDecryptor(key, macHash, macKey);
  }

  /** The plaintext of `value.encrypted`, its ValueMAC checked first. */
  decrypt(value: PskcValue): Buffer {
    const data = value.encrypted as EncryptedData;
    const cipher = cipherSpec(data.algorithm);
    const bytes = cipherBytes(data);
    if (value.mac === undefined) {
      // CBC gives no integrity: without a MAC a wrong key can yield a wrong secret unnoticed.
      if (cipher.mode === 'cbc') throw new SeedFileError('an encrypted value has no <ValueMAC>; CBC encryption needs one');
      return decryptRaw(this.key, data);
    }
    if (this.macHash === undefined) throw new SeedFileError('the file has <ValueMAC> values but no <MACMethod>');
    let expected: Buffer;
    try {
      expected = decodeBase64(value.mac);
    } catch {
      throw new EntryError('ValueMAC is not valid base64');
    }
    if (this.macMatches(bytes, expected)) return decryptRaw(this.key, data);
    // Drafts before RFC 6030 computed the MAC over the plaintext.
    const plaintext = decryptRaw(this.key, data);
    if (this.macMatches(plaintext, expected)) return plaintext;
    throw new SeedFileError(WRONG_KEY_OR_PASSWORD);
  }

  private macMatches(data: Buffer, expected: Buffer): boolean {
    const actual = createHmac(this.macHash as string, this.macKey).update(data).digest();
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}

async function encryptionKey(header: PskcHeader, options: ParseOptions): Promise<Buffer> {
  if (options.key) return options.key;
  const name = header.keyNames.length > 0 ? ` (${quote(header.keyNames[0] ?? '', 60)})` : '';
  if (options.password === undefined) {
    const needed = header.derivation ? 'a password' : 'the pre-shared key';
    throw new SeedFileError(`the file is encrypted${name}: give ${needed} to read it`);
  }
  if (!header.derivation) throw new SeedFileError(`the file is encrypted with a pre-shared key${name}, not a password`);
  return deriveKey(header.derivation, options.password, header.macKey?.algorithm);
}

/** PBKDF2 as RFC 6030 §6.2 (PKCS #5 v2.0 parameters) and python-pskc write it; the PRF defaults to HMAC-SHA1. */
async function deriveKey(params: Pbkdf2Params, password: string, cipherHint: string | undefined): Promise<Buffer> {
  if (!params.algorithm || !/pbkdf2$/i.test(params.algorithm)) {
    throw new SeedFileError(`unsupported key derivation ${quote(params.algorithm ?? '(none)', 80)}`);
  }
  if (!params.salt || !params.iterations) throw new SeedFileError('the PBKDF2 parameters lack a salt or an iteration count');
  let salt: Buffer;
  try {
    salt = decodeBase64(params.salt);
  } catch {
    throw new SeedFileError('the PBKDF2 salt is not valid base64');
  }
  const iterations = Number(params.iterations);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new SeedFileError(`the PBKDF2 iteration count must be 1-${MAX_PBKDF2_ITERATIONS}`);
  }
  const keyLength = params.keyLength ? Number(params.keyLength) : cipherHint ? cipherSpec(cipherHint).keyLength : NaN;
  if (!Number.isInteger(keyLength) || keyLength < 1 || keyLength > 64) {
    throw new SeedFileError('the PBKDF2 key length is missing or not 1-64 bytes');
  }
  const digest = params.prf ? hmacHash(params.prf) : 'sha1';
  return pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, keyLength, digest);
}

function decryptRaw(key: Buffer, data: EncryptedData): Buffer {
  const cipher = cipherSpec(data.algorithm);
  if (key.length !== cipher.keyLength) {
    throw new SeedFileError(`the key is ${key.length} bytes but ${algorithmName(data.algorithm)} needs ${cipher.keyLength}`);
  }
  const bytes = cipherBytes(data);
  try {
    if (cipher.mode === 'wrap') return unwrap(cipher.name, key, bytes);
    // RFC 6030 §6.1: the IV is prepended to the ciphertext.
    if (bytes.length < 32 || bytes.length % 16 !== 0) throw new EntryError('CipherValue is not IV plus whole AES blocks');
    const decipher = createDecipheriv(cipher.name, key, bytes.subarray(0, 16));
    return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]);
  } catch (error) {
    if (error instanceof EntryError) throw error;
    // Bad padding or a failed unwrap: the key is wrong (or the data altered).
    throw new SeedFileError(WRONG_KEY_OR_PASSWORD);
  }
}

/**
 * AES key wrap: RFC 3394 for whole 8-byte blocks; python-pskc switches to the
 * RFC 5649 padded variant for other lengths under the same algorithm name.
 */
function unwrap(name: string, key: Buffer, bytes: Buffer): Buffer {
  try {
    const decipher = createDecipheriv(name, key, Buffer.from('a6a6a6a6a6a6a6a6', 'hex'));
    return Buffer.concat([decipher.update(bytes), decipher.final()]);
  } catch {
    const decipher = createDecipheriv(`${name}-pad`, key, Buffer.from('a65959a6', 'hex'));
    return Buffer.concat([decipher.update(bytes), decipher.final()]);
  }
}

function cipherBytes(data: EncryptedData): Buffer {
  if (!data.cipherValue) throw new EntryError('EncryptedValue holds no CipherValue');
  try {
    return decodeBase64(data.cipherValue);
  } catch {
    throw new EntryError('CipherValue is not valid base64');
  }
}

function cipherSpec(algorithm: string | undefined): CipherSpec {
  const spec = CIPHERS[algorithmName(algorithm)];
  if (!spec) throw new SeedFileError(`unsupported encryption algorithm ${quote(algorithm ?? '(none)', 80)}`);
  return spec;
}

function hmacHash(algorithm: string): string {
  const hash = HMAC_HASHES[algorithmName(algorithm).replace(/^hmac-sha-/, 'hmac-sha')];
  if (!hash) throw new SeedFileError(`unsupported MAC algorithm ${quote(algorithm, 80)}`);
  return hash;
}

/** "http://www.w3.org/2001/04/xmlenc#aes128-cbc" → "aes128-cbc". */
function algorithmName(uri: string | undefined): string {
  if (!uri) return '';
  return uri.slice(uri.lastIndexOf('#') + 1).trim().toLowerCase();
}
