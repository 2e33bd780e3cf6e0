import { PskcDecryptor } from './pskc-crypto.js';
import { packageItems } from './pskc-entry.js';
import { PskcReader } from './pskc-reader.js';
import { SeedFileError, type ParseOptions, type SeedItem } from './seed-types.js';
import { decodeUtf8 } from './text-input.js';

/**
 * PSKC (RFC 6030) key containers: plain, encrypted under a pre-shared AES key,
 * or under a key derived from a password with PBKDF2. The document is read as
 * a stream; each KeyPackage becomes items as soon as it closes.
 */
export async function* parsePskc(input: AsyncIterable<Buffer | string>, options: ParseOptions): AsyncGenerator<SeedItem> {
  const reader = new PskcReader();
  const prolog = new PrologGuard();
  let decryptor: PskcDecryptor | undefined;
  // The header (EncryptionKey, MACMethod) precedes every KeyPackage, so the
  // keys can be prepared when the first encrypted package arrives.
  async function* completed(): AsyncGenerator<SeedItem> {
    const packages = reader.packages;
    reader.packages = [];
    for (const pkg of packages) {
      if (!decryptor && pkg.encrypted) decryptor = await PskcDecryptor.create(reader.header, options);
      yield* packageItems(pkg, decryptor);
    }
  }
  for await (const text of decodeUtf8(input)) {
    prolog.check(text);
    reader.write(text);
    yield* completed();
  }
  reader.end();
  yield* completed();
}

/**
 * Looks at the prolog (everything before the root element) before the XML
 * parser does: a document must start with "<", and a DOCTYPE, the door to
 * external entities (XXE) and entity expansion ("billion laughs"), is refused
 * before any of it is parsed.
 */
class PrologGuard {
  private done = false;
  private started = false;
  private carry = '';
  /** Line number at the start of `carry`. */
  private line = 1;

  check(text: string): void {
    if (this.done) return;
    const window = this.carry + text;
    if (!this.started) {
      const first = window.trimStart();
      if (first.length > 0 && !first.startsWith('<')) throw new SeedFileError('not an XML document', 1);
      this.started = first.length > 0;
    }
    const root = window.search(/<[^?!]/);
    const prolog = root === -1 ? window : window.slice(0, root);
    const doctype = /<!DOCTYPE/i.exec(prolog);
    if (doctype) {
      throw new SeedFileError('a DOCTYPE (DTD) is not accepted in a seed file', this.line + countLines(prolog.slice(0, doctype.index)));
    }
    if (root !== -1) {
      this.done = true;
      return;
    }
    // Keep enough to see "<!DOCTYPE" split across two chunks.
    const keep = Math.min(window.length, 16);
    this.line += countLines(window.slice(0, window.length - keep));
    this.carry = window.slice(window.length - keep);
  }
}

function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
