/** Helpers for the seed-file tests (not used by the service). */
import { createReadStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSeedFile } from './seed-file.js';
import type { ParseOptions, SeedEntry, SeedItem, SeedProblem } from './seed-types.js';

export const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/seed-files/', import.meta.url));

export function fixturePath(name: string): string {
  return `${FIXTURES}${name}`;
}

export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** A fixture as a stream of small chunks, so that every parser meets chunk boundaries. */
export function fixture(name: string, chunkSize = 512): AsyncIterable<Buffer> {
  return createReadStream(fixturePath(name), { highWaterMark: chunkSize });
}

/** `text` as a stream of `chunkSize`-byte chunks. */
export async function* chunks(text: string | Buffer, chunkSize = 256): AsyncGenerator<Buffer> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
}

export interface Parsed {
  items: SeedItem[];
  entries: SeedEntry[];
  problems: SeedProblem[];
}

export async function parseAll(input: AsyncIterable<Buffer | string>, options: ParseOptions): Promise<Parsed> {
  const items: SeedItem[] = [];
  for await (const item of parseSeedFile(input, options)) items.push(item);
  return {
    items,
    entries: items.flatMap((item) => ('entry' in item ? [item.entry] : [])),
    problems: items.flatMap((item) => ('problem' in item ? [item.problem] : [])),
  };
}

export function hex(buffer: Buffer | undefined): string | undefined {
  return buffer?.toString('hex');
}

/** RFC 4226 / RFC 6238 test secrets, hex. */
export const SECRET_SHA1 = Buffer.from('12345678901234567890').toString('hex');
export const SECRET_SHA256 = Buffer.from('12345678901234567890123456789012').toString('hex');
export const SECRET_SHA512 = Buffer.from('1234567890'.repeat(6) + '1234').toString('hex');
