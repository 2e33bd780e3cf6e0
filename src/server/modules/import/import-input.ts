import { AppError } from '../../lib/app-error.js';

const MAX_FILE_NAME = 255;

/** A PSKC pre-shared key given in hex (spaces and a 0x prefix allowed): an AES-128, -192 or -256 key. */
export function pskcKeyFromHex(text: string): Buffer {
  const hex = text.replace(/\s+/g, '').replace(/^0x/i, '');
  if (!/^([0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$/.test(hex)) {
    throw new AppError('VALIDATION_FAILED', 'key must be an AES key in hex: 32, 48 or 64 hexadecimal digits.');
  }
  return Buffer.from(hex, 'hex');
}

/** The name a browser or the CLI gave, without folders or control characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_FILE_NAME);
  return clean || 'upload';
}

/** The first `bytes` of a stream, and the whole stream again from its start. */
export async function peek(input: AsyncIterable<Buffer | string>, bytes: number): Promise<{ head: Buffer; stream: AsyncIterable<Buffer> }> {
  const iterator = input[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    taken.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(taken).subarray(0, bytes);
  async function* replay(): AsyncGenerator<Buffer> {
    let finished = ended;
    try {
      while (taken.length > 0) yield taken.shift()!;
      while (!finished) {
        const next = await iterator.next();
        if (next.done) finished = true;
        else yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      }
    } finally {
      if (!finished) await iterator.return?.();
    }
  }
  return { head, stream: replay() };
}
