import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pooledRandomBytes } from '../../lib/random-pool.js';

/**
 * Master keys that encrypt key material at rest (SPEC.md §8): AES-256-GCM,
 * each ciphertext naming the id of the key that made it, bound to its row by
 * the additional data. The first key is current; the others only decrypt,
 * until `hwtokens keys rotate` has re-encrypted everything under the current one.
 */
export interface MasterKey {
  id: string;
  key: Buffer;
}

const ENVELOPE_PREFIX = 'hwt1';
/** AES-GCM's 96-bit nonce, random per encryption (NIST SP 800-38D §8.2.2: well within 2^32 per key). */
const IV_BYTES = 12;
const FILE_RECHECK_MS = 5_000;

export class Keyring {
  private keys: MasterKey[];
  private checkedAt = 0;
  private fileMtime = 0;

  private constructor(keys: MasterKey[], private readonly file?: string) {
    this.keys = keys;
    if (file) this.fileMtime = fs.statSync(file).mtimeMs;
  }

  /** Keys from HWT_MASTER_KEY (comma-separated, current first), or a key file (one per line, current first). */
  static fromEnvironment(options: { masterKey?: string; masterKeyFile?: string; generateIn?: string }): Keyring {
    if (options.masterKey) return new Keyring(parseKeys(options.masterKey.split(','), 'HWT_MASTER_KEY'));
    const file = options.masterKeyFile ?? (options.generateIn ? ensureGeneratedKeyFile(options.generateIn) : undefined);
    if (!file) throw new Error('HWT_MASTER_KEY or HWT_MASTER_KEY_FILE is required with PostgreSQL');
    return new Keyring(readKeyFile(file), file);
  }

  static fromKeys(keys: Buffer[]): Keyring {
    return new Keyring(keys.map(toMasterKey));
  }

  get currentKeyId(): string {
    this.reloadIfChanged();
    return this.current().id;
  }

  encrypt(plaintext: Buffer, aad: string): { envelope: string; keyId: string } {
    this.reloadIfChanged();
    const { id, key } = this.current();
    const iv = pooledRandomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { envelope: [ENVELOPE_PREFIX, id, iv.toString('base64url'), body.toString('base64url')].join('.'), keyId: id };
  }

  decrypt(envelope: string, aad: string): Buffer {
    const [prefix, keyId, ivText, bodyText] = envelope.split('.');
    if (prefix !== ENVELOPE_PREFIX || !keyId || !ivText || !bodyText) throw new Error('not a key-material envelope');
    const key = this.find(keyId);
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url')).setAAD(Buffer.from(aad));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  }

  /** Adds a new current key to the key file (rotation step one). */
  addKeyToFile(): MasterKey {
    if (!this.file) throw new Error('keys come from HWT_MASTER_KEY: put the new key first in that variable, then rotate');
    const fresh = toMasterKey(crypto.randomBytes(32));
    const lines = [fresh.key.toString('base64'), ...this.keys.map((k) => k.key.toString('base64'))];
    writeKeyFile(this.file, lines);
    this.keys = [fresh, ...this.keys];
    return fresh;
  }

  private current(): MasterKey {
    return this.keys[0]!;
  }

  private find(keyId: string): Buffer {
    let match = this.keys.find((k) => k.id === keyId);
    if (!match && this.file) {
      this.keys = readKeyFile(this.file);
      match = this.keys.find((k) => k.id === keyId);
    }
    if (!match) throw new Error(`master key ${keyId} is not configured`);
    return match.key;
  }

  /** A running instance follows `keys rotate` done by the CLI on the key file. */
  private reloadIfChanged(): void {
    if (!this.file || Date.now() - this.checkedAt < FILE_RECHECK_MS) return;
    this.checkedAt = Date.now();
    const mtime = fs.statSync(this.file).mtimeMs;
    if (mtime !== this.fileMtime) {
      this.keys = readKeyFile(this.file);
      this.fileMtime = mtime;
    }
  }
}

function toMasterKey(key: Buffer): MasterKey {
  return { id: crypto.createHash('sha256').update(key).digest('hex').slice(0, 12), key };
}

function parseKeys(texts: string[], source: string): MasterKey[] {
  const keys = texts.map((t) => t.trim()).filter(Boolean).map((text) => {
    const key = Buffer.from(text, 'base64');
    if (key.length !== 32) throw new Error(`${source}: each master key must be base64 of 32 bytes`);
    return toMasterKey(key);
  });
  if (keys.length === 0) throw new Error(`${source}: no master key`);
  return keys;
}

function readKeyFile(file: string): MasterKey[] {
  return parseKeys(fs.readFileSync(file, 'utf8').split('\n'), file);
}

/** The keys, one per line, in a file beside `file` (readers never see it half-written); returns its name. */
function writeAside(file: string, lines: string[]): string {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${lines.join('\n')}\n`, { mode: 0o600 });
  return temp;
}

function writeKeyFile(file: string, lines: string[]): void {
  fs.renameSync(writeAside(file, lines), file);
}

/**
 * The embedded default's key file, made on first start. It appears whole
 * (written aside, then linked into place): a second process starting at the
 * same moment reads either no file, and its own link then fails and it keeps
 * the first key, or the complete file; never an empty one.
 */
function ensureGeneratedKeyFile(dataDir: string): string {
  const file = path.join(dataDir, 'master.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const temp = writeAside(file, [crypto.randomBytes(32).toString('base64')]);
    try {
      fs.linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  return file;
}
