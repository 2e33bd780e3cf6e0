import { StringDecoder } from 'node:string_decoder';
import { SeedFileError } from './seed-types.js';

/** UTF-8 text of a byte stream, chunk by chunk (a character split across chunks is kept whole). */
export async function* decodeUtf8(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

export interface Line {
  /** 1-based line number in the file. */
  number: number;
  text: string;
}

/** The lines of a text stream, without their line ends; a line longer than `maxLength` is a SeedFileError. */
export async function* readLines(input: AsyncIterable<Buffer | string>, maxLength: number): AsyncGenerator<Line> {
  let pending = '';
  let number = 0;
  for await (const text of decodeUtf8(input)) {
    pending += text;
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      number++;
      yield { number, text: checkedLine(pending.slice(start, end), number, maxLength) };
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > maxLength) throw new SeedFileError(`line is longer than ${maxLength} characters`, number + 1);
  }
  if (pending.length > 0) yield { number: number + 1, text: checkedLine(pending, number + 1, maxLength) };
}

function checkedLine(raw: string, number: number, maxLength: number): string {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (text.length > maxLength) throw new SeedFileError(`line is longer than ${maxLength} characters`, number);
  return text;
}

/**
 * Reads the first `size` bytes (or the whole input if shorter) and gives back
 * a stream that replays them before the rest, so a parser can look ahead.
 */
export async function peek(
  input: AsyncIterable<Buffer | string>,
  size: number,
): Promise<{ head: Buffer; input: AsyncIterable<Buffer> }> {
  const iterator = input[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    yield head;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  }
  return { head, input: replay() };
}
