/**
 * The generic CSV seed file (SPEC §7). A header row names the columns, in any
 * order and case: serial, type, secret, digits, period, counter (or one column
 * "period|counter", read as the period of a TOTP and the counter of an HOTP
 * token), algorithm, vendor, model, description, username; a yubico token has
 * public_id, private_id and aes_key (hex) instead of a secret.
 *
 * Secrets are base32 (RFC 4648, case-insensitive, padding optional). Hex is
 * never guessed, because a string such as "12345678abcdef..." could be either:
 * a secret is hex only when its cell starts with "hex:" (or "0x"), or when the
 * column is named secret_hex. Empty cells take TOKEN_SPEC_DEFAULTS. Comma,
 * semicolon or tab separate cells, whichever the header row uses.
 */
import { CsvError, parse } from 'csv-parse';
import { Readable, pipeline } from 'node:stream';
import { TOKEN_SPEC_DEFAULTS, TOKEN_TYPES, type TokenSpec, type TokenType } from '../tokens/token-spec.js';
import { HASH_ALGORITHMS, type HashAlgorithm, type OtpDigits, type TotpPeriod } from '../otp/otp-params.js';
import { decodeBase32, decodeHex } from '../otp/base32.js';
import { EntryReasons, MAX_LINE_LENGTH, SeedFileError, problem, quote, type SeedItem } from './seed-types.js';
import { peek } from './text-input.js';

const COLUMNS = {
  serial: ['serial', 'serialno', 'serialnumber'],
  type: ['type'],
  secret: ['secret'],
  secretHex: ['secrethex'],
  digits: ['digits'],
  period: ['period'],
  counter: ['counter'],
  periodOrCounter: ['period|counter', 'period/counter'],
  algorithm: ['algorithm'],
  vendor: ['vendor', 'manufacturer'],
  model: ['model'],
  description: ['description'],
  username: ['username'],
  publicId: ['publicid'],
  privateId: ['privateid'],
  aesKey: ['aeskey'],
} as const;
type Column = keyof typeof COLUMNS;
type Row = Partial<Record<Column, string>>;

const MAX_USERNAME_LENGTH = 200;
const HEX_PREFIX = /^(hex:|0x)/i;

export async function* parseCsv(input: AsyncIterable<Buffer | string>): AsyncGenerator<SeedItem> {
  const { head, input: replay } = await peek(input, 4096);
  const records = pipeline(
    Readable.from(replay),
    parse({
      bom: true,
      delimiter: headerDelimiter(head),
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: MAX_LINE_LENGTH,
      info: true,
    }),
    () => undefined,
  );
  let columns: (Column | undefined)[] | undefined;
  try {
    for await (const { record, info } of records as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        columns = headerColumns(record);
        continue;
      }
      const ref = `line ${info.lines}`;
      if (record.length !== columns.length) {
        yield problem(ref, `the row has ${record.length} cells, the header ${columns.length}`);
        continue;
      }
      const row: Row = {};
      columns.forEach((column, i) => column && (row[column] = record[i]));
      yield rowItem(ref, row);
    }
  } catch (error) {
    throw csvError(error);
  }
  if (!columns) throw new SeedFileError('the file is empty: a CSV seed file starts with a header row');
}

function headerDelimiter(head: Buffer): string {
  const firstLine = head.toString('utf8').split('\n', 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

function headerColumns(cells: string[]): Column[] {
  const columns = cells.map((cell) => {
    const name = cell.toLowerCase().replace(/[\s_-]/g, '');
    const column = (Object.keys(COLUMNS) as Column[]).find((c) => (COLUMNS[c] as readonly string[]).includes(name));
    if (!column) {
      throw new SeedFileError(`unknown column ${quote(cell, 40)}: the first row must name the columns (serial, type, secret, ...)`, 1);
    }
    return column;
  });
  const repeated = columns.find((column, i) => columns.indexOf(column) !== i);
  if (repeated) throw new SeedFileError(`the column ${repeated} appears twice`, 1);
  for (const required of ['serial', 'type'] as const) {
    if (!columns.includes(required)) throw new SeedFileError(`the header row has no ${required} column`, 1);
  }
  return columns;
}

function rowItem(ref: string, row: Row): SeedItem {
  const type = (row.type ?? '').toLowerCase() as TokenType;
  if (!TOKEN_TYPES.includes(type)) return problem(ref, row.type ? `unknown type ${quote(row.type)}` : 'type is empty');
  const reasons = new EntryReasons();
  const number = (column: Column, fallback: number): number => {
    const cell = row[column];
    if (!cell) return fallback;
    if (/^[+-]?\d{1,16}$/.test(cell)) return Number(cell);
    reasons.add(`${column === 'periodOrCounter' ? 'period|counter' : column} ${quote(cell)} is not an integer`);
    return fallback;
  };
  const spec: TokenSpec = {
    serial: row.serial ?? '',
    type,
    algorithm: hashAlgorithm(row.algorithm, reasons),
    digits: number('digits', TOKEN_SPEC_DEFAULTS.digits) as OtpDigits,
    period: number(type === 'totp' && row.periodOrCounter ? 'periodOrCounter' : 'period', TOKEN_SPEC_DEFAULTS.period) as TotpPeriod,
    counter: number(type === 'hotp' && row.periodOrCounter ? 'periodOrCounter' : 'counter', TOKEN_SPEC_DEFAULTS.counter),
    drift: TOKEN_SPEC_DEFAULTS.drift,
    vendor: row.vendor || null,
    model: row.model || null,
    description: row.description || null,
  };
  if (type === 'yubico') readYubicoKeys(row, spec, reasons);
  else readSecret(row, spec, reasons);
  if (row.username && row.username.length > MAX_USERNAME_LENGTH) reasons.add(`username is longer than ${MAX_USERNAME_LENGTH} characters`);
  return reasons.item(ref, spec, row.username);
}

function readSecret(row: Row, spec: TokenSpec, reasons: EntryReasons): void {
  if (row.secret && row.secretHex) return reasons.add('give secret or secret_hex, not both', 'secret');
  try {
    if (row.secretHex) spec.secret = decodeHex(row.secretHex.replace(/\s/g, ''));
    else if (row.secret && HEX_PREFIX.test(row.secret)) spec.secret = decodeHex(row.secret.replace(HEX_PREFIX, '').replace(/\s/g, ''));
    else if (row.secret) spec.secret = decodeBase32(row.secret);
  } catch (error) {
    const hint = row.secretHex || HEX_PREFIX.test(row.secret ?? '') ? '' : ' (mark hex with a "hex:" prefix or use a secret_hex column)';
    // The decoders name a position, never the text.
    reasons.add(`secret: ${(error as Error).message}${hint}`, 'secret');
  }
}

function readYubicoKeys(row: Row, spec: TokenSpec, reasons: EntryReasons): void {
  if (row.secret || row.secretHex) reasons.add('a yubico token takes public_id, private_id and aes_key, not a secret');
  if (row.publicId) spec.publicId = row.publicId.toLowerCase();
  for (const column of ['privateId', 'aesKey'] as const) {
    const cell = row[column];
    if (!cell) continue;
    try {
      spec[column] = decodeHex(cell.replace(/\s/g, ''));
    } catch (error) {
      reasons.add(`${column}: ${(error as Error).message}`, column);
    }
  }
}

/** "sha-256", "HMAC-SHA256", "sha256" → "SHA256"; an empty cell → the default. */
function hashAlgorithm(cell: string | undefined, reasons: EntryReasons): HashAlgorithm {
  if (!cell) return TOKEN_SPEC_DEFAULTS.algorithm;
  const name = cell.toUpperCase().replace(/^HMAC-?/, '').replace(/^SHA-/, 'SHA');
  if (HASH_ALGORITHMS.includes(name as HashAlgorithm)) return name as HashAlgorithm;
  reasons.add(`unsupported algorithm ${quote(cell)} (SHA1, SHA256 or SHA512)`);
  return TOKEN_SPEC_DEFAULTS.algorithm;
}

/** csv-parse errors may quote the data; give the line and the kind of error only. */
function csvError(error: unknown): Error {
  // Anything but the parser's own complaint (a file cut at the size limit, say) goes on as it is.
  if (!(error instanceof CsvError)) return error as Error;
  const reasons: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted cell is not closed',
    CSV_INVALID_CLOSING_QUOTE: 'a quote inside a cell is not doubled',
    INVALID_OPENING_QUOTE: 'a quote opens a cell in its middle: quote the whole cell',
    CSV_MAX_RECORD_SIZE: `a row is longer than ${MAX_LINE_LENGTH} characters`,
  };
  return new SeedFileError(`not valid CSV: ${reasons[error.code] ?? 'a row cannot be read'}`, (error as CsvError & { lines?: number }).lines);
}
