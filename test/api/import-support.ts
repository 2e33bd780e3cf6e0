// Shared by the import tests: multipart bodies, the seed-file fixtures with
// what is known of each token in them, and OTPs computed by oathtool.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HttpClient, Reply } from '../helpers/http-client.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/seed-files/', import.meta.url));
export const fixtureBytes = (name: string): Buffer => readFileSync(`${FIXTURES}${name}`);

/** A fixed "now" in the middle of a 60 s step, so that TOTP codes do not straddle a step. */
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 15);

export const K128 = '000102030405060708090a0b0c0d0e0f';
export const K256 = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
export const PASSWORD = 'correct horse battery staple';

const SECRETS = {
  S1: '3132333435363738393031323334353637383930',
  S256: '3132333435363738393031323334353637383930313233343536373839303132',
  S512: '31323334353637383930313233343536373839303132333435363738393031323334353637383930313233343536373839303132333435363738393031323334',
};

export type KnownToken =
  | { serial: string; kind: 'hotp'; secret: keyof typeof SECRETS; digits: 6 | 8; counter: number }
  | { serial: string; kind: 'totp'; secret: keyof typeof SECRETS; digits: 6 | 8; hash: 'sha1' | 'sha256' | 'sha512'; period: 30 | 60; drift?: number }
  | { serial: string; kind: 'yubico'; otp: string };

export interface GoodFixture {
  file: string;
  fields?: Record<string, string>;
  format: string;
  count: number;
  /** Users that the file's username column names (created before the import). */
  users?: string[];
  assigned?: number;
  known: KnownToken[];
}

const pskcKeys = (p: string): KnownToken[] => [
  { serial: `${p}-HOTP`, kind: 'hotp', secret: 'S1', digits: 6, counter: 5 },
  { serial: `${p}-TOTP256`, kind: 'totp', secret: 'S256', digits: 8, hash: 'sha256', period: 30 },
  { serial: `${p}-TOTP512`, kind: 'totp', secret: 'S512', digits: 8, hash: 'sha512', period: 60, drift: -2 },
  { serial: `${p}-NOSERIAL`, kind: 'hotp', secret: 'S1', digits: 6, counter: 42 },
];
const csv2pskc: KnownToken[] = [
  { serial: 'CSV2PSKC-1', kind: 'hotp', secret: 'S1', digits: 6, counter: 7 },
  { serial: 'CSV2PSKC-2', kind: 'totp', secret: 'S1', digits: 8, hash: 'sha1', period: 60 },
];
const rfcKey: KnownToken[] = [{ serial: '987654321', kind: 'hotp', secret: 'S1', digits: 8, counter: 0 }];
const Y1 = 'dvgtiblfkbgturecfllberrvkinnctnn';
const Y2 = 'dcihgvrhjeucvrinhdfddbjhfjftjdei';
const Y3 = 'iucvrkjiegbhidrcicvlgrcgkgurhjnj';

/** Every fixture that imports, with the options it needs (README.md of the fixtures). */
export const GOOD_FIXTURES: GoodFixture[] = [
  { file: 'pskc-plain.pskcxml', format: 'pskc', count: 4, known: pskcKeys('PLAIN') },
  { file: 'pskc-aes128.pskcxml', fields: { key: K128 }, format: 'pskc', count: 4, known: pskcKeys('AES128') },
  { file: 'pskc-aes256.pskcxml', fields: { key: K256, format: 'pskc' }, format: 'pskc', count: 4, known: pskcKeys('AES256') },
  { file: 'pskc-pbkdf2.pskcxml', fields: { password: PASSWORD }, format: 'pskc', count: 4, known: pskcKeys('PBKDF2') },
  { file: 'pskc-pbkdf2-sha256.pskcxml', fields: { password: PASSWORD }, format: 'pskc', count: 4, known: pskcKeys('PBKDF2SHA256') },
  { file: 'pskc-kw-aes128.pskcxml', fields: { key: K128 }, format: 'pskc', count: 4, known: pskcKeys('KWAES128') },
  { file: 'pskctool-signed.pskcxml', format: 'pskc', count: 4, known: pskcKeys('PLAIN') },
  { file: 'csv2pskc.pskcxml', format: 'pskc', count: 2, known: csv2pskc },
  { file: 'csv2pskc-pbkdf2.pskcxml', fields: { password: PASSWORD }, format: 'pskc', count: 2, known: csv2pskc },
  { file: 'rfc6030-figure3.pskcxml', format: 'pskc', count: 1, known: rfcKey },
  { file: 'rfc6030-figure6.pskcxml', fields: { key: '12345678901234567890123456789012' }, format: 'pskc', count: 1, known: rfcKey },
  { file: 'rfc6030-figure7.pskcxml', fields: { password: 'qwerty' }, format: 'pskc', count: 1, known: rfcKey },
  {
    file: 'seeds.csv', format: 'csv', count: 4, users: ['alice', 'bob'], assigned: 2,
    known: [
      { serial: 'CSV-HOTP-1', kind: 'hotp', secret: 'S1', digits: 6, counter: 0 },
      { serial: 'CSV-TOTP-256', kind: 'totp', secret: 'S256', digits: 8, hash: 'sha256', period: 30 },
      { serial: 'CSV-TOTP-512', kind: 'totp', secret: 'S512', digits: 8, hash: 'sha512', period: 60 },
      { serial: 'CSV-HOTP-2', kind: 'hotp', secret: 'S1', digits: 6, counter: 7 },
    ],
  },
  {
    file: 'seeds-semicolon.csv', format: 'csv', count: 3, users: ['carol'], assigned: 1,
    known: [
      { serial: 'SEMI-HOTP', kind: 'hotp', secret: 'S1', digits: 6, counter: 3 },
      { serial: 'SEMI-TOTP', kind: 'totp', secret: 'S1', digits: 8, hash: 'sha1', period: 60 },
      { serial: 'SEMI-YK', kind: 'yubico', otp: `cccjgjgkhcbb${Y1}` },
    ],
  },
  {
    file: 'yubico-traditional.csv', format: 'yubico-csv', count: 3,
    known: [
      { serial: 'cccjgjgkhcbb', kind: 'yubico', otp: `cccjgjgkhcbb${Y1}` },
      { serial: 'cccccccccccb', kind: 'yubico', otp: `cccccccccccb${Y2}` },
      { serial: 'ubhe00000001', kind: 'hotp', secret: 'S1', digits: 6, counter: 0 },
    ],
  },
  {
    file: 'yubico-format.csv', format: 'yubico-csv', count: 2,
    known: [{ serial: '1234567', kind: 'yubico', otp: `cccjgjgkhcbb${Y1}` }, { serial: '1234568', kind: 'yubico', otp: `cccccccccccb${Y2}` }],
  },
  {
    file: 'yubico-simple.csv', format: 'yubico-csv', count: 2,
    known: [{ serial: 'cccjgjgkhcbb', kind: 'yubico', otp: `cccjgjgkhcbb${Y1}` }, { serial: 'vvccccdddddd', kind: 'yubico', otp: `vvccccdddddd${Y3}` }],
  },
  {
    file: 'otpauth.txt', format: 'otpauth', count: 3,
    known: [
      { serial: 'OTPAUTH-HOTP', kind: 'hotp', secret: 'S1', digits: 6, counter: 2 },
      { serial: 'OTPAUTH-TOTP-256', kind: 'totp', secret: 'S256', digits: 8, hash: 'sha256', period: 30 },
      { serial: 'OTPAUTH-TOTP-60', kind: 'totp', secret: 'S1', digits: 6, hash: 'sha1', period: 60 },
    ],
  },
];

/** Fixtures that must be refused (test/api/import-refusals.test.ts). */
export const REFUSED_FIXTURES = [
  'seeds-bad.csv', 'otpauth-bad.txt', 'yubico-traditional-mixed.csv', 'rfc6030-figure2.pskcxml', 'rfc6030-figure5.pskcxml',
  'hostile-xxe.pskcxml', 'hostile-billion-laughs.pskcxml', 'hostile-entity-without-dtd.pskcxml', 'truncated.pskcxml',
  'not-xml.pskcxml', 'csv2pskc-input.csv',
];

let oathtoolPresent: boolean | undefined;
export function hasOathtool(): boolean {
  if (oathtoolPresent === undefined) {
    try {
      execFileSync('oathtool', ['--version'], { stdio: 'ignore' });
      oathtoolPresent = true;
    } catch {
      oathtoolPresent = false;
    }
  }
  return oathtoolPresent;
}

/** The OTP a token shows at `now` (its next counter for HOTP), computed by oathtool; Yubico OTPs are test vectors. */
export function otpOf(token: KnownToken, now: number): string {
  if (token.kind === 'yubico') return token.otp;
  const secret = SECRETS[token.secret];
  if (token.kind === 'hotp') return oathtool(['--hotp', '-d', String(token.digits), '-c', String(token.counter), secret]);
  const at = Math.floor(now / 1000) + (token.drift ?? 0) * token.period;
  return oathtool([`--totp=${token.hash}`, '-d', String(token.digits), '-s', `${token.period}s`, '-N', `@${at}`, secret]);
}

function oathtool(args: string[]): string {
  return execFileSync('oathtool', args, { encoding: 'utf8' }).trim();
}

export interface FormPart {
  name: string;
  value: string | Buffer;
  fileName?: string;
}

/** A multipart/form-data body with its parts in the given order. */
export function multipart(parts: FormPart[]): { payload: Buffer; contentType: string } {
  const boundary = `----hwt-${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file = part.fileName === undefined ? '' : `; filename="${part.fileName}"\r\nContent-Type: application/octet-stream`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${file}\r\n\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export const importUrl = (tenant: string) => `/api/v1/tenants/${tenant}/hw-tokens/import`;

/** POSTs a seed file with its fields first, as the console sends them. */
export function importSeed(client: HttpClient, tenant: string, file: { name: string; content: string | Buffer }, fields: Record<string, string> = {}): Promise<Reply> {
  const form = multipart([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', value: file.content, fileName: file.name },
  ]);
  return client.request('POST', importUrl(tenant), form.payload, { 'content-type': form.contentType });
}

export const importFixture = (client: HttpClient, tenant: string, file: string, fields: Record<string, string> = {}) =>
  importSeed(client, tenant, { name: file, content: fixtureBytes(file) }, fields);

export async function tokenTotal(client: HttpClient, tenant: string): Promise<number> {
  const reply = await client.get(`/api/v1/tenants/${tenant}/hw-tokens/stats`);
  if (reply.status !== 200) throw new Error(`stats: ${reply.text}`);
  return reply.body.total as number;
}

export async function newTenant(client: HttpClient, slug: string): Promise<string> {
  const reply = await client.post('/api/v1/tenants', { slug, name: `Tenant ${slug}` });
  if (reply.status !== 201) throw new Error(`tenant not created: ${reply.text}`);
  return slug;
}

/** A CSV seed file of `serials`, each with the RFC 4226 secret. */
export function csvFile(rows: { serial: string; username?: string; secret?: string }[]): string {
  const lines = rows.map((r) => `${r.serial},${r.secret ?? 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'},hotp,6,0,SHA1,Acme,A1,${r.username ?? ''}`);
  return `serial,secret,type,digits,period|counter,algorithm,vendor,model,username\n${lines.join('\n')}\n`;
}
