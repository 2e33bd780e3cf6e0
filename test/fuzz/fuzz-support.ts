import crypto from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/contract/auth.js';
import { ERROR_CATALOGUE } from '../../src/contract/errors.js';

/** One operation of the OpenAPI document. */
export interface Operation {
  method: string;
  /** OpenAPI path template, e.g. /api/v1/tenants/{tenant}/hw-tokens/{id}. */
  path: string;
  parameters: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
  /** The JSON body schema, when the operation takes one. */
  jsonBody?: JsonSchema;
  multipart: boolean;
}

export type JsonSchema = Record<string, any>;

export function operationsOf(document: any): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<any>(document.paths ?? {})) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      operations.push({
        method: method.toUpperCase(), path, parameters: op.parameters ?? [],
        jsonBody: content['application/json']?.schema, multipart: 'multipart/form-data' in content,
      });
    }
  }
  return operations;
}

export const routeName = (op: Pick<Operation, 'method' | 'path'>) => `${op.method} ${op.path}`;

/** A stable seed per route, so that a failure replays from its name alone. */
export function seedOf(name: string, base: number): number {
  return (crypto.createHash('sha256').update(name).digest().readUInt32BE(0) ^ base) | 0;
}

// ---------------------------------------------------------------------------
// Who asks

export interface Caller {
  label: string;
  headers(method: string): Record<string, string>;
}

/** Signs in over `inject` and returns the session cookie and CSRF token as a caller. */
export async function signIn(app: FastifyInstance, username: string, password: string, label = username): Promise<Caller & { cookie: string; csrf: string }> {
  const reply = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (reply.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${reply.body}`);
  const setCookie = [reply.headers['set-cookie']].flat()[0] as string;
  const cookie = setCookie.split(';')[0]!;
  const csrf = reply.json().csrfToken as string;
  return sessionCaller(label, cookie, csrf);
}

export function sessionCaller(label: string, cookie: string, csrf: string): Caller & { cookie: string; csrf: string } {
  return {
    label, cookie, csrf,
    headers: (method) => ({ cookie, ...(['GET', 'HEAD', 'OPTIONS'].includes(method) ? {} : { [CSRF_HEADER]: csrf }) }),
  };
}

export const cookieOf = (value: string) => `${SESSION_COOKIE}=${value}`;

export function bearerCaller(label: string, secret: string): Caller {
  return { label, headers: () => ({ authorization: `Bearer ${secret}` }) };
}

// ---------------------------------------------------------------------------
// What must never be in an answer

/** The ways a key could be written out: hex, base32, base64 and base64url, with and without padding. */
export function encodingsOf(key: Buffer): string[] {
  const forms = new Set<string>();
  const hex = key.toString('hex');
  forms.add(hex);
  forms.add(hex.toUpperCase());
  const b32 = base32(key);
  forms.add(b32);
  forms.add(b32.replace(/=+$/, ''));
  forms.add(b32.toLowerCase().replace(/=+$/, ''));
  const b64 = key.toString('base64');
  forms.add(b64.replace(/=+$/, ''));
  forms.add(key.toString('base64url'));
  return [...forms].filter((form) => form.length >= 8);
}

function base32(data: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

const STACK_PATTERNS: RegExp[] = [
  /\n\s+at\s/,
  /\bat [\w$.<>[\] ]+ \([^)]*:\d+:\d+\)/,
  /\.(?:ts|js|mjs|cjs):\d+:\d+/,
  /node_modules/,
  /file:\/\//,
];

/**
 * Everything wrong with an answer: a server error, a stack trace or a file
 * path, key material, a 4xx that is not problem+json with a catalogued code.
 */
export function answerFaults(reply: LightMyRequestResponse, secrets: readonly string[]): string[] {
  const faults: string[] = [];
  const text = reply.body;
  const headers = JSON.stringify(reply.headers);
  if (reply.statusCode >= 500) faults.push(`server error ${reply.statusCode}`);
  for (const pattern of [...STACK_PATTERNS, new RegExp(escapeRegExp(process.cwd()))]) {
    if (pattern.test(text)) faults.push(`internal detail (${pattern}) in the body`);
  }
  for (const secret of secrets) {
    if (text.includes(secret) || headers.includes(secret)) faults.push(`key material ${secret.slice(0, 4)}… in the answer`);
  }
  if (reply.statusCode >= 400 && reply.statusCode < 600) {
    const type = String(reply.headers['content-type'] ?? '');
    if (!type.startsWith('application/problem+json')) faults.push(`${reply.statusCode} as ${type || 'no content type'}`);
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      faults.push(`${reply.statusCode} body is not JSON`);
    }
    if (body) {
      const entry = ERROR_CATALOGUE[body.code as keyof typeof ERROR_CATALOGUE];
      if (!entry) faults.push(`code ${JSON.stringify(body.code)} is not in the catalogue`);
      else if (entry.status !== reply.statusCode) faults.push(`code ${body.code} is ${entry.status}, answered ${reply.statusCode}`);
      if (body.status !== reply.statusCode) faults.push(`problem status ${body.status} differs from ${reply.statusCode}`);
      for (const field of ['type', 'title', 'detail']) if (typeof body[field] !== 'string') faults.push(`problem without ${field}`);
    }
  }
  return faults;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---------------------------------------------------------------------------
// Hostile values

/** Strings that break naive code: control and format characters, odd Unicode, injections, paths. */
export const NASTY_STRINGS = [
  '', ' ', '\t', '\u0000', 'a\u0000b', '\u0001\u001f', '\ud800', '\udfff', 'x\ud83d', '\u{10FFFF}', 'a\u{10FFFF}',
  '\u202eevil', '\ufeff', 'ǅǈ', 'İı', 'ß', 'ＡＢＣ', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '👩‍👩‍👧‍👦', 'é', 'e\u0301', '中文', 'العربية',
  '<script>alert(1)</script>', "' OR '1'='1", '"; drop table hw_tokens; --', '%', '_', '\\', '%00', '%%', '${jndi:x}',
  '{{7*7}}', '../../etc/passwd', '..', '.', '/', '?', '#', '&', '=', '+', '=cmd|x', '@SUM(1)', 'null', 'undefined',
  'NaN', 'Infinity', '-0', '0x1f', '1e309', '-1', '9007199254740993', '[]', '{}', 'true', '__proto__', 'constructor',
  'hasOwnProperty', 'toString',
];

export const nastyString = (): fc.Arbitrary<string> => fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(1, 64, 65, 100, 101, 256, 257, 513, 5000).map((n) => 'x'.repeat(n)) },
);

export const nastyNumber = (): fc.Arbitrary<number> => fc.oneof(
  fc.constantFrom(-1, 0, -0, 1, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 1.5, 0.1, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A JSON value of any shape, including deep and wide ones. */
export const anyJson = (): fc.Arbitrary<unknown> => fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: nastyString() },
  { weight: 1, arbitrary: nastyNumber() },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [[[[[]]]]], { __proto__: { admin: true } }, JSON.parse('{"__proto__":{"polluted":1}}')) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 2000 }).map((depth) => nest(depth)) },
);

function nest(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** A value of the wrong shape for `schema`, or at or past its bounds. */
export function hostileFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [anyJson(), nastyString(), nastyNumber(), fc.constantFrom<unknown>(null, true, [], {}, [1, 2], { a: 1 })];
  const type = schema.type;
  if (type === 'string' || schema.anyOf) {
    const max = schema.maxLength as number | undefined;
    const min = schema.minLength as number | undefined;
    if (max !== undefined) options.push(fc.constantFrom('x'.repeat(max), 'x'.repeat(max + 1), 'é'.repeat(max + 1), '😀'.repeat(max)));
    if (min !== undefined && min > 0) options.push(fc.constant('x'.repeat(min - 1)));
    if (schema.enum) options.push(fc.constantFrom(...(schema.enum as string[]).flatMap((v) => [String(v).toUpperCase(), ` ${v}`, `${v}\u0000`])));
    if (schema.format === 'date-time') {
      options.push(fc.constantFrom('2016-12-31T23:59:60Z', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '2024-02-30T00:00:00Z',
        '2024-01-01', '2024-01-01T00:00:00+25:00', '1970-01-01T00:00:00.0000000001Z', 'now', '-1'));
    }
  }
  if (type === 'integer' || type === 'number') {
    const { minimum, maximum } = schema as { minimum?: number; maximum?: number };
    if (minimum !== undefined) options.push(fc.constantFrom(minimum - 1, minimum - 0.5, minimum));
    if (maximum !== undefined) options.push(fc.constantFrom(maximum, maximum + 1, maximum + 0.5));
    options.push(fc.constantFrom<unknown>('1', '', '1e3', 'NaN'));
  }
  if (type === 'boolean') options.push(fc.constantFrom<unknown>('true', 1, 0, 'yes', ''));
  if (type === 'array') options.push(fc.array(anyJson(), { maxLength: 120 }));
  return fc.oneof(...options);
}

/** A value that `schema` accepts (as far as a generator easily can). */
export function validFor(schema: JsonSchema, pools: Record<string, readonly string[]> = {}, name = ''): fc.Arbitrary<unknown> {
  if (pools[name]?.length) return fc.oneof(fc.constantFrom(...pools[name]!), plainValid(schema, pools));
  return plainValid(schema, pools);
}

/** Date-times that the schema accepts and naive code does not: leap seconds, year 0 and 9999, odd offsets, long fractions. */
export const EDGE_DATE_TIMES = [
  '2016-12-31T23:59:60Z', '1998-12-31T23:59:60+00:00', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '1970-01-01T00:00:00+23:59',
  '2024-02-29T12:00:00-23:59', '2024-01-01T00:00:00.123456789Z', '2024-01-01t00:00:00z', '1969-12-31T23:59:59.999Z',
];

function plainValid(schema: JsonSchema, pools: Record<string, readonly string[]>): fc.Arbitrary<unknown> {
  if (schema.anyOf || schema.oneOf) return fc.oneof(...(schema.anyOf ?? schema.oneOf).map((s: JsonSchema) => plainValid(s, pools)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  switch (schema.type) {
    case 'string': {
      const min = schema.minLength ?? 0;
      const max = schema.maxLength ?? Infinity;
      const fits = (s: string) => s.length >= min && s.length <= max && (!schema.pattern || new RegExp(schema.pattern).test(s));
      if (schema.format === 'date-time') {
        return fc.oneof(
          fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
          fc.constantFrom(...EDGE_DATE_TIMES),
        );
      }
      if (schema.format === 'email') return fc.emailAddress().filter(fits);
      if (schema.format === 'binary') return fc.string();
      const edgy = [...NASTY_STRINGS, 'x'.repeat(Math.min(max, 5000)), '😀'.repeat(Math.min(Math.floor(max / 2), 500))].filter(fits);
      const plain = schema.pattern
        ? fc.stringMatching(new RegExp(schema.pattern)).filter(fits)
        : fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, 40) }).filter(fits);
      return edgy.length ? fc.oneof(plain, fc.constantFrom(...edgy)) : plain;
    }
    case 'integer': {
      const min = Math.max(schema.minimum ?? -1000, Number.MIN_SAFE_INTEGER);
      const max = Math.min(schema.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER);
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
    }
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(plainValid(schema.items ?? {}, pools), { maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object':
      return objectFor(schema, pools);
    default:
      return anyJson();
  }
}

function objectFor(schema: JsonSchema, pools: Record<string, readonly string[]>): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries<JsonSchema>(schema.properties ?? {});
  const required = new Set<string>(schema.required ?? []);
  if (properties.length === 0) return fc.constant({});
  const model = Object.fromEntries(properties.map(([key, sub]) => [key, validFor(sub, pools, key)]));
  return fc.record(model, { requiredKeys: [...required] as never[] });
}

/** A body for a JSON schema: valid, one field off, or nothing like it. */
export function jsonBodyFor(schema: JsonSchema, pools: Record<string, readonly string[]>): fc.Arbitrary<unknown> {
  const valid = schema.type === 'object' ? objectFor(schema, pools) : plainValid(schema, pools);
  const properties = Object.entries<JsonSchema>(schema.properties ?? {});
  const variants: fc.Arbitrary<unknown>[] = [valid, anyJson()];
  if (properties.length > 0) {
    // One property of the wrong type or out of bounds.
    variants.push(fc.tuple(valid, fc.constantFrom(...properties)).chain(([body, [key, sub]]) =>
      hostileFor(sub).map((value) => ({ ...(body as object), [key]: value }))));
    // A required property missing.
    if (schema.required?.length) {
      variants.push(fc.tuple(valid, fc.constantFrom(...(schema.required as string[]))).map(([body, key]) => {
        const copy = { ...(body as Record<string, unknown>) };
        delete copy[key];
        return copy;
      }));
    }
  }
  // An extra property.
  variants.push(fc.tuple(valid, fc.constantFrom('extra', 'isAdmin', '__proto__', 'constructor', 'tenantId', 'id', ''), anyJson())
    .map(([body, key, value]) => (body && typeof body === 'object' ? { ...(body as object), [key]: value } : body)));
  return fc.oneof(...variants);
}

/**
 * Opaque cursors that are not: garbage, and well-formed ones holding the
 * wrong things (a text where a number belongs, huge and fractional numbers).
 */
export const hostileCursor = (): fc.Arbitrary<string> => {
  const sortValue = fc.oneof(
    fc.constantFrom<unknown>('abc', '', '1', '1e3', 'NaN', '\u0000', '\u{10FFFF}', 1.5, -1, 0, 1e300, -1e300, 2 ** 63, 2 ** 53 + 2, null, true, [], {}),
    nastyString(), nastyNumber(),
  );
  const id = fc.oneof(fc.uuid(), nastyString(), fc.constantFrom<unknown>(1, null, []));
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url');
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(sortValue, id).map(encode) },
    { weight: 1, arbitrary: fc.tuple(anyJson(), anyJson()).map(encode) },
    { weight: 1, arbitrary: anyJson().map(encode) },
    { weight: 1, arbitrary: nastyString() },
    { weight: 1, arbitrary: fc.constantFrom('', '=', '===', '!!!!', 'bnVsbA', 'W10', 'e30', 'WzEsMiwzXQ', '-1', '1e400', '1.5', '18446744073709551616', '9007199254740993', 'x'.repeat(512)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url')) },
  );
};

/** A path segment: a known one, or hostile (encoded, or raw and broken). */
export function pathSegment(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known).map(encodeURIComponent) },
    { weight: 3, arbitrary: nastyString().filter((s) => s.length > 0).map((s) => encodeURIComponent(safeForUri(s))) },
    { weight: 1, arbitrary: fc.uuid().map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%ff', '..', '%2e%2e', '%2F', '%00', '%0a', ';', 'a;b=c', '*') },
  );
}

/** encodeURIComponent refuses lone surrogates: they travel as their replacement character. */
export const safeForUri = (s: string) => s.replace(/[\ud800-\udfff]/g, (c, i: number, all: string) => {
  const code = c.charCodeAt(0);
  if (code < 0xdc00 && i + 1 < all.length && /[\udc00-\udfff]/.test(all[i + 1]!)) return c;
  if (code >= 0xdc00 && i > 0 && /[\ud800-\udbff]/.test(all[i - 1]!)) return c;
  return '\ufffd';
});

/** Content types a confused or hostile client sends. */
export const CONTENT_TYPES = [
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=x',
  'application/xml', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'APPLICATION/JSON',
  'application/problem+json', 'application/octet-stream', '*/*', 'application/json, text/plain', 'application/jsonx', ';', 'text/html; charset=utf-8',
];

/** Bodies that are not JSON at all, or JSON that is not whole. */
export const RAW_BODIES = [
  '', ' ', '{', '}', '[', '{"a":', '{"a":1,}', "{'a':1}", 'null', 'undefined', 'NaN', '\u0000', '\ufeff{}', '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}', '"string"', '123', '1e999', '[' .repeat(5000), '{"a":"\\ud800"}', '{"a":"\\u0000"}',
  'a=1&b=2', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--', '<?xml version="1.0"?><a/>',
];

/** A multipart/form-data body with these parts (fields, then files). */
export function multipartBody(parts: { name: string; value: string | Buffer; filename?: string; type?: string }[], boundary = `----fuzz${crypto.randomBytes(6).toString('hex')}`): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

// ---------------------------------------------------------------------------
// Deterministic sweeps: every edge value in every place, the rest valid

const CURSOR_VALUES: unknown[] = ['abc', '', '1', 'NaN', '\u0000', '\u{10FFFF}', 1.5, -1, 0, 1e300, 2 ** 63, 2 ** 53 + 2, null, true, [], {}];

/** Well-formed cursors ([sort value, id]) holding the wrong things, and cursors that are not even that. */
export const EDGE_CURSORS: string[] = [
  ...CURSOR_VALUES.map((value) => Buffer.from(JSON.stringify([value, '00000000-0000-4000-8000-000000000000'])).toString('base64url')),
  ...[['a'], ['a', 'b', 'c'], [1, 2], 'x', { a: 1 }, null].map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
  '', '=', '!!!!', '-1', '1.5', '1e400', '18446744073709551616', '9007199254740993', 'x'.repeat(512), '\u0000', '%',
];

const WRONG_TYPES: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 53 + 2, -(2 ** 63), 1e308, '', [], [1, 2], {}, { a: 1 }];

/** The nasty strings a sweep tries in every place (the property runs draw from all of them). */
const SWEEP_STRINGS = [
  ' ', '\u0000', 'a\u0000b', '\ud800', '\u{10FFFF}', 'a\u{10FFFF}', '\u202eevil', 'İı', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'e\u0301',
  "' OR '1'='1", '%', '_', '\\', '../../etc/passwd', '=cmd|x', 'NaN', '-1', '1e309', '9007199254740993', '__proto__',
];

/** The edge values to try for one field of `schema`. */
export function edgeValues(schema: JsonSchema, name: string): unknown[] {
  const values = new Set<unknown>([...SWEEP_STRINGS, ...WRONG_TYPES]);
  const add = (...more: unknown[]) => more.forEach((v) => values.add(v));
  const walk = (s: JsonSchema) => {
    for (const sub of s.anyOf ?? s.oneOf ?? []) walk(sub);
    if (s.enum) for (const v of s.enum as unknown[]) add(v, typeof v === 'string' ? v.toUpperCase() : String(v), `${String(v)}\u0000`, ` ${String(v)}`);
    if (s.maxLength !== undefined) add('x'.repeat(s.maxLength), 'x'.repeat(s.maxLength + 1), 'é'.repeat(s.maxLength), '😀'.repeat(s.maxLength), `${'x'.repeat(s.maxLength - 1)}\u{10FFFF}`);
    if (s.minLength) add('x'.repeat(s.minLength - 1), 'x'.repeat(s.minLength));
    if (s.format === 'date-time') add(...EDGE_DATE_TIMES, '2024-02-30T00:00:00Z', '2024-01-01', 'now');
    if (s.minimum !== undefined) add(s.minimum - 1, s.minimum, String(s.minimum - 1));
    if (s.maximum !== undefined) add(s.maximum, s.maximum + 1, String(s.maximum + 1));
    if (s.type === 'array') add([...Array(200).keys()], ['x'], [null]);
  };
  walk(schema);
  if (name === 'cursor') add(...EDGE_CURSORS);
  return [...values];
}
