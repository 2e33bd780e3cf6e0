import type { HashAlgorithm, OtpDigits, TotpPeriod } from '../otp/otp-params.js';
import { TOKEN_SPEC_DEFAULTS, type TokenSpec, type TokenType } from '../tokens/token-spec.js';
import { decodeBase64 } from './encoding.js';
import { EntryError, type PskcDecryptor } from './pskc-crypto.js';
import type { PskcKey, PskcPackage, PskcValue } from './pskc-model.js';
import { EntryReasons, problem, quote, type SeedItem } from './seed-types.js';

/** RFC 6030 §10 algorithm profiles; older drafts spell them with `#`, csv2pskc writes the bare name. */
const PROFILE_PATTERN = /^(?:urn:ietf:params:xml:ns:keyprov:pskc[:#])?(hotp|totp)$/i;
/** libpskc (pskctool) writes a negative TimeDrift as its unsigned 32-bit value. */
const UINT32 = 2 ** 32;

export function keyRef(pkg: PskcPackage, key: PskcKey | undefined): string {
  return key?.id ? `key ${key.id}` : `key package ${pkg.index}`;
}

/** One item per `<Key>` of the package (RFC 6030 allows one; older drafts several). */
export function packageItems(pkg: PskcPackage, decryptor: PskcDecryptor | undefined): SeedItem[] {
  if (pkg.keys.length === 0) return [problem(keyRef(pkg, undefined), 'the KeyPackage holds no <Key>')];
  return pkg.keys.map((key) => keyItem(pkg, key, decryptor));
}

function keyItem(pkg: PskcPackage, key: PskcKey, decryptor: PskcDecryptor | undefined): SeedItem {
  const ref = keyRef(pkg, key);
  const reasons = new EntryReasons();
  const read = <T>(fn: () => T, field?: keyof TokenSpec): T | undefined => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof EntryError)) throw error;
      reasons.add(error.message, field);
      return undefined;
    }
  };
  const type = read(() => tokenType(key.algorithm));
  const algorithm = read(() => hashAlgorithm(key));
  const digits = read(() => responseDigits(key));
  const secret = read(() => bytesValue(key.data.Secret, 'Secret', decryptor), 'secret');
  const counter = read(() => intValue(key.data.Counter, 'Counter', decryptor));
  const period = read(() => intValue(key.data.TimeInterval, 'TimeInterval', decryptor));
  const drift = read(() => signed32(intValue(key.data.TimeDrift, 'TimeDrift', decryptor)));
  const start = read(() => intValue(key.data.Time, 'Time', decryptor));
  // The verifier counts time steps from the Unix epoch (RFC 6238 T0 = 0).
  if (start !== undefined && start !== 0) reasons.add('a start time (<Time>) other than 0 is not supported');
  if (type === undefined) return reasons.problem(ref);
  const spec: TokenSpec = {
    serial: (pkg.serialNo || key.id || '').trim(),
    type,
    algorithm: algorithm ?? TOKEN_SPEC_DEFAULTS.algorithm,
    digits: (digits ?? TOKEN_SPEC_DEFAULTS.digits) as OtpDigits,
    period: (period ?? TOKEN_SPEC_DEFAULTS.period) as TotpPeriod,
    counter: counter ?? TOKEN_SPEC_DEFAULTS.counter,
    drift: drift ?? TOKEN_SPEC_DEFAULTS.drift,
    vendor: pkg.manufacturer || null,
    model: pkg.model || null,
    description: key.friendlyName || null,
  };
  if (secret) spec.secret = secret;
  return reasons.item(ref, spec);
}

function signed32(value: number | undefined): number | undefined {
  return value !== undefined && value >= UINT32 / 2 && value < UINT32 ? value - UINT32 : value;
}

function tokenType(algorithm: string | undefined): TokenType {
  if (!algorithm) throw new EntryError('the key has no Algorithm');
  const match = PROFILE_PATTERN.exec(algorithm.trim());
  if (!match) throw new EntryError(`unsupported algorithm ${quote(algorithm, 80)} (only HOTP and TOTP)`);
  return (match[1] as string).toLowerCase() as TokenType;
}

/** `<Suite>` names the hash for HOTP/TOTP profiles ("HMAC-SHA256", "SHA1"); absent means SHA1. */
function hashAlgorithm(key: PskcKey): HashAlgorithm | undefined {
  const named = key.hash ?? key.suite;
  if (!named) return undefined;
  const match = /^(?:hmac-?)?sha-?(1|256|512)$/i.exec(named.trim());
  if (!match) throw new EntryError(`unsupported hash ${quote(named)} (SHA1, SHA256 or SHA512)`);
  return `SHA${match[1]}` as HashAlgorithm;
}

function responseDigits(key: PskcKey): number | undefined {
  if (key.responseEncoding !== undefined && key.responseEncoding.toUpperCase() !== 'DECIMAL') {
    throw new EntryError(`unsupported response encoding ${quote(key.responseEncoding)} (only DECIMAL)`);
  }
  if (key.checkDigits !== undefined && /^(true|1)$/i.test(key.checkDigits)) {
    throw new EntryError('responses with a check digit are not supported');
  }
  if (key.responseLength === undefined) return undefined;
  if (!/^\d{1,2}$/.test(key.responseLength)) throw new EntryError(`ResponseFormat Length ${quote(key.responseLength)} is not a number`);
  return Number(key.responseLength);
}

function bytesValue(value: PskcValue | undefined, field: string, decryptor: PskcDecryptor | undefined): Buffer | undefined {
  if (value?.encrypted) return (decryptor as PskcDecryptor).decrypt(value);
  if (value?.plain === undefined) return undefined;
  try {
    return decodeBase64(value.plain);
  } catch {
    throw new EntryError(`${field} is not valid base64`);
  }
}

/** Integers are decimal text in a PlainValue; encrypted, python-pskc and others use digits or big-endian bytes. */
function intValue(value: PskcValue | undefined, field: string, decryptor: PskcDecryptor | undefined): number | undefined {
  if (value?.encrypted) {
    const bytes = (decryptor as PskcDecryptor).decrypt(value);
    const text = bytes.toString('latin1');
    if (/^-?\d{1,20}$/.test(text)) return Number(text);
    if (bytes.length === 0 || bytes.length > 8) throw new EntryError(`encrypted ${field} is not an integer`);
    return Number(BigInt(`0x${bytes.toString('hex')}`));
  }
  if (value?.plain === undefined) return undefined;
  if (!/^[+-]?\d{1,20}$/.test(value.plain)) throw new EntryError(`${field} is not an integer`);
  return Number(value.plain);
}
