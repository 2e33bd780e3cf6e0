import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { DATA_FIELDS, emptyData, type DataField, type PskcHeader, type PskcKey, type PskcPackage, type PskcValue } from './pskc-model.js';
import { SeedFileError, quote } from './seed-types.js';

const MAX_DEPTH = 32;
const MAX_TEXT = 64 * 1024;
const PACKAGE_NAMES = new Set(['KeyPackage', 'Device']);

/**
 * Streaming reader for a PSKC document. Element names are matched on their
 * local part, so any prefix (or a default namespace) is accepted, as files
 * from vendors and from python-pskc differ there. Completed KeyPackages
 * collect in `packages` until the caller takes them.
 *
 * Threats: a DOCTYPE is refused outright (no DTD, external entity or entity
 * expansion is ever processed; saxes itself expands none), depth and text
 * size are bounded, and every well-formedness error stops the read.
 */
export class PskcReader {
  readonly header: PskcHeader = { encryptionKey: false, keyNames: [] };
  packages: PskcPackage[] = [];
  private readonly sax = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private readonly paths: string[] = [];
  private text = '';
  private rootSeen = false;
  private packageCount = 0;
  private current: PskcPackage | undefined;
  private packagePrefix = 0;

  constructor() {
    this.sax.on('error', (error) => {
      throw xmlError(error.message, this.sax.line);
    });
    this.sax.on('doctype', () => {
      throw new SeedFileError('a DOCTYPE (DTD) is not accepted in a seed file', this.sax.line);
    });
    this.sax.on('xmldecl', ({ encoding }) => {
      if (encoding !== undefined && !/^(utf-?8|us-ascii|ascii)$/i.test(encoding)) {
        throw new SeedFileError(`only UTF-8 XML is accepted, not ${quote(encoding)}`, this.sax.line);
      }
    });
    this.sax.on('opentag', (tag) => this.open(tag));
    this.sax.on('closetag', () => this.close());
    this.sax.on('text', (text) => this.append(text));
    this.sax.on('cdata', (text) => this.append(text));
  }

  write(text: string): void {
    this.sax.write(text);
  }

  end(): void {
    if (!this.rootSeen) throw new SeedFileError('the file holds no XML element');
    this.sax.close();
  }

  private open(tag: SaxesTagPlain): void {
    const name = localName(tag.name);
    const attrs = tag.attributes;
    this.text = '';
    if (this.paths.length === 0) return this.openRoot(name, attrs);
    if (this.paths.length >= MAX_DEPTH) throw new SeedFileError(`elements nest deeper than ${MAX_DEPTH}`, this.sax.line);
    const parent = this.paths[this.paths.length - 1];
    const path = parent === '' ? name : `${parent}/${name}`;
    this.paths.push(path);
    if (this.current) return this.openInPackage(path.slice(this.packagePrefix), name, attrs);
    if (PACKAGE_NAMES.has(path)) {
      this.current = { index: ++this.packageCount, keys: [], encrypted: false };
      this.packagePrefix = path.length + 1;
      return;
    }
    this.openInHeader(path, attrs);
  }

  private openRoot(name: string, attrs: Record<string, string>): void {
    if (name !== 'KeyContainer') {
      throw new SeedFileError(`not a PSKC document: the root element is <${name}>, not <KeyContainer>`, this.sax.line);
    }
    const version = attrs['Version'] ?? attrs['version'];
    if (version !== undefined && version !== '1.0' && version !== '1') {
      throw new SeedFileError(`unsupported PSKC version ${quote(version)}`, this.sax.line);
    }
    this.rootSeen = true;
    this.paths.push('');
  }

  private close(): void {
    const path = this.paths.pop();
    const text = this.text.trim();
    this.text = '';
    if (path === undefined || path === '') return;
    if (!this.current) return this.closeInHeader(path, text);
    if (path.length < this.packagePrefix) {
      this.packages.push(this.current);
      this.current = undefined;
      return;
    }
    this.closeInPackage(path.slice(this.packagePrefix), text);
  }

  private append(text: string): void {
    if (this.text.length + text.length > MAX_TEXT) {
      throw new SeedFileError(`an element holds more than ${MAX_TEXT} characters of text`, this.sax.line);
    }
    this.text += text;
  }

  private openInHeader(path: string, attrs: Record<string, string>): void {
    const header = this.header;
    if (path === 'EncryptionKey') header.encryptionKey = true;
    else if (path === 'EncryptionKey/DerivedKey/KeyDerivationMethod') header.derivation = { algorithm: attrs['Algorithm'] };
    else if (path.endsWith('/PBKDF2-params/PRF') && header.derivation) header.derivation.prf = attrs['Algorithm'];
    else if (path === 'MACMethod') header.macAlgorithm = attrs['Algorithm'];
    else if (path === 'MACMethod/MACKey') header.macKey = {};
    else if (path === 'MACMethod/MACKey/EncryptionMethod' && header.macKey) header.macKey.algorithm = attrs['Algorithm'];
  }

  private closeInHeader(path: string, text: string): void {
    const header = this.header;
    const derivation = header.derivation;
    if (path === 'EncryptionKey/KeyName' || path === 'EncryptionKey/DerivedKey/MasterKeyName') header.keyNames.push(text);
    else if (path === 'MACMethod/MACKey/CipherData/CipherValue' && header.macKey) header.macKey.cipherValue = text;
    else if (derivation && path.startsWith('EncryptionKey/DerivedKey/KeyDerivationMethod/PBKDF2-params/')) {
      const param = path.slice('EncryptionKey/DerivedKey/KeyDerivationMethod/PBKDF2-params/'.length);
      if (param === 'Salt/Specified') derivation.salt = text;
      else if (param === 'IterationCount') derivation.iterations = text;
      else if (param === 'KeyLength') derivation.keyLength = text;
      // python-pskc writes the PRF URI as text, RFC 6030 as an Algorithm attribute.
      else if (param === 'PRF' && text !== '') derivation.prf ??= text;
    }
  }

  private openInPackage(rel: string, name: string, attrs: Record<string, string>): void {
    const pkg = this.current as PskcPackage;
    if (rel === 'Key') {
      pkg.keys.push({ id: attrs['Id'] ?? attrs['KeyId'], algorithm: attrs['Algorithm'] ?? attrs['KeyAlgorithm'], data: emptyData() });
      return;
    }
    const key = pkg.keys[pkg.keys.length - 1];
    if (!key || !rel.startsWith('Key/')) return;
    const sub = rel.slice(4);
    if (sub === 'AlgorithmParameters/Suite' || sub === 'AlgorithmParameters' || name === 'Suite') {
      key.hash ??= hashAttribute(attrs);
    } else if (sub === 'AlgorithmParameters/ResponseFormat' || sub === 'Usage/ResponseFormat') {
      key.responseLength = attrs['Length'];
      key.responseEncoding = attrs['Encoding'] ?? attrs['Format'];
      key.checkDigits = attrs['CheckDigits'] ?? attrs['CheckDigit'];
    } else if (sub.startsWith('Data/')) {
      const value = dataValue(key, sub);
      if (value && sub.endsWith('/EncryptedValue')) {
        value.encrypted = {};
        pkg.encrypted = true;
      } else if (value?.encrypted && sub.endsWith('/EncryptedValue/EncryptionMethod')) value.encrypted.algorithm = attrs['Algorithm'];
    }
  }

  private closeInPackage(rel: string, text: string): void {
    const pkg = this.current as PskcPackage;
    if (rel === 'DeviceInfo/Manufacturer') pkg.manufacturer = text;
    else if (rel === 'DeviceInfo/SerialNo') pkg.serialNo = text;
    else if (rel === 'DeviceInfo/Model') pkg.model = text;
    const key = pkg.keys[pkg.keys.length - 1];
    if (!key || !rel.startsWith('Key/')) return;
    const sub = rel.slice(4);
    if (sub === 'AlgorithmParameters/Suite') key.suite = text;
    else if (sub === 'FriendlyName') key.friendlyName = text;
    else if (sub.startsWith('Data/')) {
      const value = dataValue(key, sub);
      if (!value) return;
      if (sub.endsWith('/PlainValue')) value.plain = text;
      else if (sub.endsWith('/ValueMAC')) value.mac = text;
      else if (sub.endsWith('/EncryptedValue/CipherData/CipherValue') && value.encrypted) value.encrypted.cipherValue = text;
    }
  }
}

const DATA_FIELD_SET: ReadonlySet<string> = new Set(DATA_FIELDS);

/** The `<Data>` child that `sub` ("Data/<Field>/...") lies in, created on first sight. */
function dataValue(key: PskcKey, sub: string): PskcValue | undefined {
  const end = sub.indexOf('/', 5);
  const field = end === -1 ? sub.slice(5) : sub.slice(5, end);
  if (!DATA_FIELD_SET.has(field)) return undefined;
  return (key.data[field as DataField] ??= {});
}

function hashAttribute(attrs: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(attrs)) {
    if (/^(hash|hashalgo|hashalgorithm)$/i.test(localName(name))) return value;
  }
  return undefined;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** saxes reports "line:column: message"; keep the message and give the line to the error. */
function xmlError(message: string, fallbackLine: number): SeedFileError {
  const match = /^(\d+):(\d+): (.*)$/s.exec(message);
  const line = match ? Number(match[1]) : fallbackLine;
  const detail = (match ? match[3] : message) ?? message;
  return new SeedFileError(`not well-formed XML: ${detail.replace(/\.$/, '')}`, line);
}
