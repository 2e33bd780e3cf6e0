import { tokenSpecProblems } from '../tokens/token-spec.js';
import { parseCsv } from './csv.js';
import { parseOtpauth } from './otpauth.js';
import { parsePskc } from './pskc.js';
import {
  MAX_SEED_ENTRIES,
  SEED_FORMATS,
  SeedFileError,
  type ParseOptions,
  type SeedFormat,
  type SeedItem,
  type SeedParser,
} from './seed-types.js';
import { looksLikeYubicoLog, parseYubicoCsv } from './yubico-csv.js';

export { SEED_FORMATS, SeedFileError, MAX_SEED_ENTRIES };
export type { ParseOptions, SeedEntry, SeedFormat, SeedItem, SeedProblem } from './seed-types.js';

const PARSERS: Record<SeedFormat, SeedParser> = {
  pskc: parsePskc,
  csv: parseCsv,
  'yubico-csv': parseYubicoCsv,
  otpauth: parseOtpauth,
};

/**
 * Streams a seed file and yields one item per token entry, in file order:
 * an entry whose TokenSpec passed `tokenSpecProblems`, or a problem. A serial
 * seen earlier in the same file is a problem on the later entry. Throws
 * SeedFileError for a problem with the whole file.
 */
export async function* parseSeedFile(input: AsyncIterable<Buffer | string>, options: ParseOptions): AsyncGenerator<SeedItem> {
  const parse = PARSERS[options.format];
  if (!parse) throw new SeedFileError(`unknown seed file format ${JSON.stringify(String(options.format))}`);
  const maxEntries = options.maxEntries ?? MAX_SEED_ENTRIES;
  const firstRef = new Map<string, string>();
  let count = 0;
  for await (const item of parse(input, options)) {
    if (++count > maxEntries) throw new SeedFileError(`the file holds more than ${maxEntries} entries`);
    yield checked(item, firstRef);
  }
}

function checked(item: SeedItem, firstRef: Map<string, string>): SeedItem {
  if (!('entry' in item)) return item;
  const { ref, spec } = item.entry;
  const reasons = tokenSpecProblems(spec);
  const earlier = spec.serial ? firstRef.get(spec.serial) : undefined;
  if (earlier !== undefined) reasons.unshift(`duplicate serial ${JSON.stringify(spec.serial)} (first at ${earlier})`);
  else if (spec.serial) firstRef.set(spec.serial, ref);
  return reasons.length === 0 ? item : { problem: { ref, reason: reasons.join('; ') } };
}

/** The format of a file from its first few KB, or undefined when it is none of the known ones. */
export function detectSeedFormat(head: Buffer): SeedFormat | undefined {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.trimStart();
  if (text.startsWith('<')) return 'pskc';
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const first = lines[0];
  if (first === undefined) return undefined;
  if (/^otpauth:\/\//i.test(first)) return 'otpauth';
  if (looksLikeYubicoLog(lines.slice(0, 5))) return 'yubico-csv';
  const header = first.toLowerCase().split(/[,;\t]/).map((cell) => cell.trim().replace(/^"|"$/g, ''));
  if (header.includes('serial') && header.some((cell) => cell.startsWith('secret') || cell === 'type')) return 'csv';
  return undefined;
}
