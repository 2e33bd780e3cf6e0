/**
 * The configuration log of the YubiKey Personalization Tool, in either of its
 * two layouts (yubikey-personalization-gui, src/yubikeylogger.cpp):
 *
 * - "Traditional": a "LOGGING START,<time>" line, then per key
 *   event type, local time, slot, public id, private id, secret key, current
 *   access code, new access code, three OATH fixed-modhex flags, HOTP digits,
 *   moving factor, then five flags (18 cells; the local time may itself hold a
 *   comma in some locales, so cells are counted from the end).
 * - "Yubico": serial, public id, private id (the moving factor for OATH-HOTP),
 *   secret key, new access code, timestamp.
 *
 * The short form "[serial,]public id,private id,AES key" is accepted too.
 * Public ids are modhex (hex is converted), private ids and keys are hex.
 * Yubico OTP rows become `yubico` tokens whose serial is the YubiKey serial
 * when the row has one, else the public id; OATH-HOTP rows become `hotp`
 * tokens. Other configurations (static password, challenge-response) are
 * problems: they carry no OTP this service can check.
 */
import { TOKEN_SPEC_DEFAULTS, type TokenSpec } from '../tokens/token-spec.js';
import type { OtpDigits } from '../otp/otp-params.js';
import { decodeHex } from '../otp/base32.js';
import { decodeModhex, encodeModhex } from '../otp/modhex.js';
import { isModhex } from './encoding.js';
import { EntryReasons, MAX_LINE_LENGTH, problem, quote, type SeedItem } from './seed-types.js';
import { readLines } from './text-input.js';

const TRADITIONAL_CELLS = 18;
const TRADITIONAL_TAIL = 16;
const TIMESTAMP_FIXED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;

interface YubicoRow {
  kind: 'otp' | 'hotp' | 'other';
  event?: string;
  serial?: string;
  publicId: string;
  privateId: string;
  key: string;
  digits?: string;
  counter?: string;
}

export async function* parseYubicoCsv(input: AsyncIterable<Buffer | string>): AsyncGenerator<SeedItem> {
  let first = true;
  for await (const { number, text } of readLines(input, MAX_LINE_LENGTH)) {
    const cells = splitCells(text);
    if (cells.every((cell) => cell === '') || text.trimStart().startsWith('#')) continue;
    if (/^LOGGING START$/i.test(cells[0] ?? '')) continue;
    const isHeader = first && cells.some((cell) => /public|private|aes/i.test(cell));
    first = false;
    if (isHeader) continue;
    const ref = `line ${number}`;
    const row = readRow(cells);
    yield row ? rowItem(ref, row) : problem(ref, `not a YubiKey configuration log row (${cells.length} cells)`);
  }
}

/** For detection: does any of these first lines look like a YubiKey personalization log? */
export function looksLikeYubicoLog(lines: string[]): boolean {
  return lines.some((line) => {
    const cells = splitCells(line);
    if (/^LOGGING START$/i.test(cells[0] ?? '')) return true;
    const row = readRow(cells);
    return row !== undefined && row.kind !== 'other' && isModhex(row.publicId);
  });
}

function splitCells(line: string): string[] {
  return line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
}

function readRow(cells: string[]): YubicoRow | undefined {
  const n = cells.length;
  const event = cells[0] ?? '';
  if (n >= TRADITIONAL_CELLS && /[a-z]/i.test(event) && !isModhex(event)) {
    const [, publicId = '', privateId = '', key = '', , , , , , digits, counter] = cells.slice(n - TRADITIONAL_TAIL);
    const kind = /^Yubico OTP$/i.test(event) ? 'otp' : /^OATH-HOTP$/i.test(event) ? 'hotp' : 'other';
    return { kind, event, publicId, privateId, key, digits, counter };
  }
  if ((n === 6 || n === 7) && /^\d*$/.test(event) && TIMESTAMP_FIXED.test(cells[5] ?? '')) {
    const [serial, publicId = '', middle = '', key = ''] = cells;
    // A Yubico OTP row carries a 16-byte AES key, an OATH-HOTP row a 20-byte HMAC key.
    if (/^[0-9a-f]{32}$/i.test(key)) return { kind: 'otp', serial, publicId, privateId: middle, key };
    if (/^[0-9a-f]{40}$/i.test(key) && publicId !== '') return { kind: 'hotp', serial, publicId, privateId: '', key, counter: middle };
    return { kind: 'other', serial, publicId, privateId: middle, key };
  }
  if (n === 3 || n === 4) {
    const [publicId = '', privateId = '', key = ''] = cells.slice(n - 3);
    return { kind: 'otp', serial: n === 4 ? cells[0] : undefined, publicId, privateId, key };
  }
  return undefined;
}

function rowItem(ref: string, row: YubicoRow): SeedItem {
  if (row.kind === 'other') {
    const what = row.event ? `a ${quote(row.event, 40)} configuration` : 'this configuration';
    return problem(ref, `${what} is neither Yubico OTP nor OATH-HOTP and cannot be imported`);
  }
  const reasons = new EntryReasons();
  // An OATH token identifier is not a Yubico public id: keep it as written.
  const publicId = row.kind === 'otp' ? normalisePublicId(row.publicId) : row.publicId.replace(/\s/g, '');
  const serial = row.serial && row.serial !== '0' ? row.serial : publicId;
  const spec: TokenSpec = {
    serial,
    type: row.kind === 'otp' ? 'yubico' : 'hotp',
    algorithm: TOKEN_SPEC_DEFAULTS.algorithm,
    digits: (row.digits && row.digits !== '0' ? Number(row.digits) : TOKEN_SPEC_DEFAULTS.digits) as OtpDigits,
    period: TOKEN_SPEC_DEFAULTS.period,
    counter: row.counter && /^\d{1,16}$/.test(row.counter) ? Number(row.counter) : TOKEN_SPEC_DEFAULTS.counter,
    drift: TOKEN_SPEC_DEFAULTS.drift,
    vendor: 'Yubico',
    model: 'YubiKey',
  };
  if (row.counter && !/^\d{1,16}$/.test(row.counter)) reasons.add('the moving factor is not an integer');
  if (row.kind === 'otp') {
    spec.publicId = publicId;
    spec.privateId = hexCell(normalisePrivateId(row.privateId), 'privateId', reasons);
    spec.aesKey = hexCell(row.key, 'aesKey', reasons);
  } else {
    if (!publicId) reasons.add('an OATH-HOTP row without a token identifier has no serial', 'serial');
    spec.secret = hexCell(row.key, 'secret', reasons);
  }
  return reasons.item(ref, spec);
}

function hexCell(cell: string, field: 'privateId' | 'aesKey' | 'secret', reasons: EntryReasons): Buffer | undefined {
  if (cell === '') return void reasons.add(`${field} is empty`, field);
  try {
    return decodeHex(cell.replace(/\s/g, ''));
  } catch (error) {
    reasons.add(`${field}: ${(error as Error).message}`, field);
    return undefined;
  }
}

/** The tool writes the public id in modhex unless told to use hex. */
function normalisePublicId(cell: string): string {
  const clean = cell.replace(/\s/g, '').toLowerCase();
  return !isModhex(clean) && /^([0-9a-f]{2})+$/.test(clean) ? encodeModhex(Buffer.from(clean, 'hex')) : clean;
}

/** Hex, as the tool writes it; a private id given in modhex is converted. */
function normalisePrivateId(cell: string): string {
  const clean = cell.replace(/\s/g, '').toLowerCase();
  return /^[0-9a-f]*$/.test(clean) || !isModhex(clean) || clean.length % 2 !== 0 ? clean : decodeModhex(clean).toString('hex');
}
