/**
 * Key URIs, one per line (Google Authenticator's "Key Uri Format"):
 * otpauth://TYPE/[ISSUER:]ACCOUNT?secret=BASE32&issuer=..&algorithm=..&digits=..&period=..&counter=..
 * Blank lines and lines starting with "#" are skipped. The serial is the
 * `serial` parameter when there is one, else the account part of the label;
 * the issuer (parameter, else label prefix) becomes the vendor.
 */
import { TOKEN_SPEC_DEFAULTS, type TokenSpec } from '../tokens/token-spec.js';
import { HASH_ALGORITHMS, type HashAlgorithm, type OtpDigits, type TotpPeriod } from '../otp/otp-params.js';
import { decodeBase32 } from '../otp/base32.js';
import { EntryReasons, MAX_LINE_LENGTH, problem, quote, type SeedItem } from './seed-types.js';
import { readLines } from './text-input.js';

export async function* parseOtpauth(input: AsyncIterable<Buffer | string>): AsyncGenerator<SeedItem> {
  for await (const { number, text } of readLines(input, MAX_LINE_LENGTH)) {
    const line = text.trim();
    if (line === '' || line.startsWith('#')) continue;
    yield uriItem(`line ${number}`, line);
  }
}

function uriItem(ref: string, line: string): SeedItem {
  let url: URL;
  try {
    url = new URL(line);
  } catch {
    return problem(ref, 'not a URI');
  }
  if (url.protocol !== 'otpauth:') return problem(ref, 'not an otpauth:// URI');
  const type = url.hostname.toLowerCase();
  if (type !== 'hotp' && type !== 'totp') return problem(ref, `unsupported OTP type ${quote(type)} (hotp or totp)`);
  const params = url.searchParams;
  const reasons = new EntryReasons();
  // A parameter given twice is two answers to one question: which secret, which counter?
  for (const name of new Set(params.keys())) {
    if (params.getAll(name).length > 1) reasons.add(`the parameter ${quote(name, 20)} is given more than once`, name === 'secret' ? 'secret' : undefined);
  }
  const { issuer: labelIssuer, account } = splitLabel(url.pathname, reasons);
  const number = (name: string, fallback: number): number => {
    const value = params.get(name);
    if (value === null || value === '') return fallback;
    if (/^\d{1,16}$/.test(value)) return Number(value);
    reasons.add(`${name} ${quote(value)} is not a non-negative integer`);
    return fallback;
  };
  const spec: TokenSpec = {
    serial: params.get('serial') ?? account,
    type,
    algorithm: hashAlgorithm(params.get('algorithm'), reasons),
    digits: number('digits', TOKEN_SPEC_DEFAULTS.digits) as OtpDigits,
    period: number('period', TOKEN_SPEC_DEFAULTS.period) as TotpPeriod,
    counter: number('counter', TOKEN_SPEC_DEFAULTS.counter),
    drift: TOKEN_SPEC_DEFAULTS.drift,
    vendor: params.get('issuer') || labelIssuer || null,
    model: null,
  };
  const secret = params.get('secret');
  if (!secret) reasons.add('the secret parameter is missing', 'secret');
  else {
    try {
      spec.secret = decodeBase32(secret);
    } catch (error) {
      reasons.add(`secret: ${(error as Error).message}`, 'secret');
    }
  }
  return reasons.item(ref, spec);
}

function hashAlgorithm(value: string | null, reasons: EntryReasons): HashAlgorithm {
  if (!value) return TOKEN_SPEC_DEFAULTS.algorithm;
  const name = value.toUpperCase().replace(/^SHA-/, 'SHA');
  if (HASH_ALGORITHMS.includes(name as HashAlgorithm)) return name as HashAlgorithm;
  reasons.add(`unsupported algorithm ${quote(value)} (SHA1, SHA256 or SHA512)`);
  return TOKEN_SPEC_DEFAULTS.algorithm;
}

function splitLabel(pathname: string, reasons: EntryReasons): { issuer: string; account: string } {
  let label = '';
  try {
    label = decodeURIComponent(pathname.replace(/^\//, ''));
  } catch {
    reasons.add('the label is not valid percent-encoding', 'serial');
  }
  const colon = label.indexOf(':');
  return colon === -1
    ? { issuer: '', account: label.trim() }
    : { issuer: label.slice(0, colon).trim(), account: label.slice(colon + 1).trim() };
}
