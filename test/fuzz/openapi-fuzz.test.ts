import crypto from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../../src/server/modules/auth/session-store.js';
import { DIALECTS } from '../helpers/databases.js';
import { addUser, uniqueSerial } from '../helpers/factories.js';
import { OPERATOR_PASSWORD, startTestApp, type TestApp } from '../helpers/test-app.js';
import { newYubiKeyIdentity, yubicoTokenBody } from '../helpers/yubico-otp.js';
import {
  answerFaults, anyJson, bearerCaller, CONTENT_TYPES, cookieOf, edgeValues, encodingsOf, hostileCursor, hostileFor, jsonBodyFor, multipartBody,
  nastyString, operationsOf, pathSegment, RAW_BODIES, routeName, safeForUri, seedOf, sessionCaller, signIn, validFor,
  type Caller, type Operation,
} from './fuzz-support.js';

/**
 * Every route of the OpenAPI document, asked malformed and boundary
 * questions by a tenant-admin and by a viewer: wrong types, missing and extra
 * fields, huge and odd strings, bad ids and cursors, wrong content types,
 * empty and broken bodies. No answer may be a server error, show a stack
 * trace or a file path, or hold key material; every 4xx is problem+json with
 * a code of the catalogue. Seeds are fixed per route, so a failure replays.
 */
const BASE_SEED = 0x5eed_2026;
const RUNS_PER_ROUTE = Number(process.env.HWT_FUZZ_RUNS ?? 50);

// The route list comes from the document itself, so that a new route is fuzzed without a word here.
const OPERATIONS = await (async () => {
  const t = await startTestApp('sqlite');
  try {
    return operationsOf(t.app.swagger());
  } finally {
    await t.close();
  }
})();

interface Seeded {
  secrets: string[];
  /** The seeded verifier API key. */
  verifierKey: string;
  callers: Record<'tenant-admin' | 'viewer', Caller & { operatorId: string }>;
  pools: Record<string, string[]>;
  idsFor(path: string): string[];
}

async function seed(t: TestApp): Promise<Seeded> {
  const admin = t.admin;
  const tenantId = (await admin.get('/api/v1/tenants')).body.find((x: any) => x.slug === t.tenant).id as string;
  const other = await admin.post('/api/v1/tenants', { slug: 'other', name: 'Other' });
  const keys = {
    hotp: crypto.randomBytes(20), totp: crypto.randomBytes(32), sha512: crypto.randomBytes(64),
  };
  const yubikey = newYubiKeyIdentity();
  const tokens: any[] = [];
  const add = async (body: Record<string, unknown>) => {
    const reply = await admin.post(`/api/v1/tenants/${t.tenant}/hw-tokens`, { serial: uniqueSerial('FZ'), ...body });
    expect(reply.status, reply.text).toBe(201);
    tokens.push(reply.body);
    return reply.body;
  };
  await add({ type: 'hotp', secretHex: keys.hotp.toString('hex'), description: 'fuzz hotp' });
  await add({ type: 'totp', secret: encodingsOf(keys.totp).find((f) => /^[A-Z2-7]+$/.test(f))!, algorithm: 'SHA256' });
  await add({ type: 'totp', secretHex: keys.sha512.toString('hex'), algorithm: 'SHA512', digits: 8, period: 60 });
  await add(yubicoTokenBody(yubikey));
  for (let i = 0; i < 4; i++) await add({ type: 'hotp', secretHex: crypto.randomBytes(20).toString('hex') });
  const user = await addUser(admin, t.tenant, 'fuzz.user');
  await admin.post(`/api/v1/tenants/${t.tenant}/hw-tokens/${tokens[0].id}/assign`, { userId: user.id });
  await admin.post(`/api/v1/tenants/${t.tenant}/hw-tokens/${tokens[1].id}/assign`, { userId: user.id });
  const apiKey = await admin.post(`/api/v1/tenants/${t.tenant}/api-keys`, { name: 'fuzz-key', role: 'verifier' });
  const target = await admin.post('/api/v1/operators', { username: 'fuzz-target', password: OPERATOR_PASSWORD, roles: [{ tenant: t.tenant, role: 'helpdesk' }] });

  const callers = {} as Seeded['callers'];
  for (const role of ['tenant-admin', 'viewer'] as const) {
    const username = `fuzz-${role}`;
    const created = await admin.post('/api/v1/operators', { username, password: OPERATOR_PASSWORD, roles: [{ tenant: t.tenant, role }] });
    expect(created.status, created.text).toBe(201);
    callers[role] = { ...(await signIn(t.app, username, OPERATOR_PASSWORD, role)), operatorId: created.body.id };
  }

  const secrets = [
    ...encodingsOf(keys.hotp), ...encodingsOf(keys.totp), ...encodingsOf(keys.sha512),
    ...encodingsOf(yubikey.aesKey), ...encodingsOf(yubikey.privateId), apiKey.body.secret as string,
  ];
  const tokenIds = tokens.map((x) => x.id as string);
  const serials = tokens.map((x) => x.serial as string);
  return {
    secrets, callers, verifierKey: apiKey.body.secret,
    pools: {
      tenant: ['acme', tenantId, 'other', other.body.id, 'ACME'],
      userId: [user.id], username: [user.username, 'fuzz-target'], serial: serials, otp: ['123456', '12345678'],
      otp1: ['755224'], otp2: ['287082'], name: ['fuzz-key'], role: ['viewer', 'verifier'], slug: ['acme', 'other'],
    },
    idsFor(path) {
      if (path.includes('/hw-tokens/')) return [...tokenIds, ...serials];
      if (path.includes('/users/')) return [user.id, user.username];
      if (path.includes('/api-keys/')) return [apiKey.body.id];
      if (path.includes('/operators/')) return [target.body.id];
      return [crypto.randomUUID()];
    },
  };
}

interface FuzzRequest {
  role: 'tenant-admin' | 'viewer';
  method: string;
  url: string;
  payload?: string | Buffer;
  contentType?: string;
}

function requestFor(op: Operation, seeded: Seeded): fc.Arbitrary<FuzzRequest> {
  const tenantSegment = pathSegment(seeded.pools.tenant!);
  const idSegment = pathSegment(seeded.idsFor(op.path));
  const pathArb = fc.tuple(tenantSegment, idSegment).map(([tenant, id]) => op.path.replace('{tenant}', tenant).replace('{id}', id));

  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const queryArb = fc.tuple(
    ...queryParams.map((p) => fc.option(fc.oneof(
      { weight: 3, arbitrary: validFor(p.schema, seeded.pools, p.name) },
      { weight: 2, arbitrary: p.name === 'cursor' ? hostileCursor() : hostileFor(p.schema) },
    ), { nil: undefined, freq: 2 })),
    fc.option(fc.tuple(fc.oneof(nastyString(), fc.constantFrom('extra', 'limit[]', 'status[0]', '__proto__', 'a[b]')), nastyString()), { nil: undefined, freq: 3 }),
    fc.option(fc.constantFrom('%zz', '%', '&&&', '=', 'limit=1&limit=2', 'cursor', 'a=%E0%A4%A', '%00=1'), { nil: undefined, freq: 8 }),
  ).map((values) => {
    const extra = values[queryParams.length] as [string, string] | undefined;
    const raw = values[queryParams.length + 1] as string | undefined;
    const pairs: string[] = [];
    queryParams.forEach((p, i) => {
      const value = values[i];
      if (value === undefined) return;
      for (const item of Array.isArray(value) ? value : [value]) pairs.push(`${p.name}=${encodeValue(item)}`);
    });
    if (extra) pairs.push(`${encodeURIComponent(safeForUri(extra[0]))}=${encodeURIComponent(safeForUri(extra[1]))}`);
    if (raw) pairs.push(raw);
    return pairs.length ? `?${pairs.join('&')}` : '';
  });

  const methodArb = fc.oneof({ weight: 12, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') });
  return fc.record({
    role: fc.constantFrom('tenant-admin' as const, 'viewer' as const),
    method: methodArb,
    path: pathArb,
    query: queryArb,
    body: bodyFor(op, seeded),
  }).map(({ role, method, path, query, body }) => ({ role, method, url: `${path}${query}`, ...body }));
}

const encodeValue = (value: unknown) =>
  encodeURIComponent(safeForUri(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)));

type Body = { payload?: string | Buffer; contentType?: string };

function bodyFor(op: Operation, seeded: Seeded): fc.Arbitrary<Body> {
  const json = (value: unknown, contentType = 'application/json'): Body => ({ payload: JSON.stringify(value) ?? 'null', contentType });
  const none = fc.constant<Body>({});
  const raw = fc.tuple(fc.constantFrom(...RAW_BODIES), fc.constantFrom('application/json', ...CONTENT_TYPES))
    .map(([payload, contentType]): Body => ({ payload, contentType }));
  const huge = fc.constantFrom(70_000, 200_000).map((n): Body => json({ blob: 'x'.repeat(n) }));
  if (op.multipart) return fc.oneof({ weight: 6, arbitrary: importForm() }, none, raw, huge, anyJson().map((v) => json(v)));
  if (op.jsonBody) {
    const body = jsonBodyFor(op.jsonBody, seeded.pools);
    return fc.oneof(
      { weight: 8, arbitrary: body.map((v) => json(v)) },
      { weight: 1, arbitrary: none },
      { weight: 2, arbitrary: raw },
      { weight: 1, arbitrary: fc.tuple(body, fc.constantFrom(...CONTENT_TYPES)).map(([v, type]) => json(v, type)) },
      { weight: 1, arbitrary: huge },
    );
  }
  return fc.oneof({ weight: 6, arbitrary: none }, { weight: 1, arbitrary: raw }, { weight: 1, arbitrary: anyJson().map((v) => json(v)) });
}

/** Seed-file forms: right and wrong fields, in and out of order, files that are and are not seed files. */
function importForm(): fc.Arbitrary<Body> {
  const file = fc.oneof(
    fc.constantFrom(
      '', 'serial,secret,type\n', 'serial,secret,type,digits,counter,algorithm,vendor,model\nFZ1,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,hotp,6,0,SHA1,v,m\n',
      '<?xml version="1.0"?><KeyContainer xmlns="urn:ietf:params:xml:ns:keyprov:pskc" Version="1.0"><KeyPackage><Key Id="1" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:hotp"/></KeyPackage></KeyContainer>',
      '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><KeyContainer>&x;</KeyContainer>',
      'otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=0\notpauth://totp/%00?secret=!!\n', '\u0000\u0001\u0002', 'x'.repeat(3000),
    ),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  );
  const field = fc.record({
    name: fc.constantFrom('format', 'key', 'password', 'file', 'other', ''),
    value: fc.oneof(fc.constantFrom('pskc', 'csv', 'yubico-csv', 'otpauth', '00'.repeat(16), 'zz'), nastyString()),
  });
  const filePart = fc.record({ name: fc.constantFrom('file', 'file', 'upload'), value: file, filename: fc.constantFrom('seeds.csv', '../../x', '', 'é.pskcxml', 'a\u0000b') });
  return fc.tuple(fc.array(field, { maxLength: 4 }), fc.array(filePart, { minLength: 0, maxLength: 2 }), fc.array(field, { maxLength: 1 }))
    .map(([before, files, after]) => {
      const { body, contentType } = multipartBody([...before, ...files, ...after]);
      return { payload: body, contentType };
    });
}

let unique = 0;

/** One request per edge value of each path parameter, query parameter and body property, the rest left valid. */
function* sweepOf(op: Operation, seeded: Seeded): Generator<{ url: string; body?: unknown }> {
  const pathParams = { tenant: 'acme', id: seeded.idsFor(op.path)[0]! };
  const pathOf = (values: Record<string, string>) => op.path.replace('{tenant}', encodeURIComponent(values.tenant!)).replace('{id}', encodeURIComponent(values.id!));
  const fresh = (body: unknown, except: string) => {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
    const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    for (const key of ['serial', 'username', 'slug', 'name']) if (key in copy && key !== except) copy[key] = `sweep${++unique}`;
    return copy;
  };
  const base = op.jsonBody ? fc.sample(validFor(op.jsonBody, seeded.pools), { seed: 7, numRuns: 1 })[0] : undefined;
  const withBase = (url: string) => ({ url, ...(op.jsonBody ? { body: fresh(base, '') } : {}) });

  for (const param of op.parameters.filter((p) => p.in === 'path')) {
    for (const value of edgeValues(param.schema, param.name)) {
      if (typeof value !== 'string' || value === '') continue;
      yield withBase(pathOf({ ...pathParams, [param.name]: safeForUri(value) }));
    }
  }
  const path = pathOf(pathParams);
  // Each kind of sort column once: the default (serial), epoch milliseconds both ways, texts.
  const sortable = op.parameters.some((p) => p.name === 'sort') && !op.path.endsWith('.csv');
  const sorts = sortable ? [undefined, 'createdAt', '-lastUsedAt', 'holder', '-status'] : [undefined];
  for (const param of op.parameters.filter((p) => p.in === 'query')) {
    for (const value of edgeValues(param.schema, param.name)) {
      for (const sort of param.name === 'cursor' ? sorts : [undefined]) {
        yield withBase(`${path}?${param.name}=${encodeValue(value)}${sort ? `&sort=${sort}` : ''}`);
      }
    }
  }
  if (op.jsonBody?.type === 'object') {
    for (const [key, schema] of Object.entries<any>(op.jsonBody.properties ?? {})) {
      for (const value of edgeValues(schema, key)) yield { url: path, body: { ...(fresh(base, key) as object), [key]: value } };
    }
  }
}

for (const dialect of DIALECTS) {
  describe(`OpenAPI fuzz (${dialect})`, () => {
    let t: TestApp;
    let seeded: Seeded;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      seeded = await seed(t);
    });
    afterAll(async () => { await t?.close(); });

    it('the document lists the service\'s routes', () => {
      expect(OPERATIONS.length).toBeGreaterThan(30);
      expect(OPERATIONS.map(routeName)).toEqual(expect.arrayContaining([
        'POST /api/v1/tenants/{tenant}/verify', 'GET /api/v1/tenants/{tenant}/hw-tokens', 'POST /api/v1/tenants/{tenant}/hw-tokens/import',
      ]));
    });

    for (const op of OPERATIONS) {
      const name = routeName(op);
      it(name, async () => {
        const logout = op.path === '/api/v1/auth/logout';
        await fc.assert(fc.asyncProperty(requestFor(op, seeded), async (request) => {
          let caller: Caller = seeded.callers[request.role];
          if (logout) {
            // A session of its own for each logout, so that the others stay signed in.
            const { cookieValue, session } = await new SessionStore(t.services.storage.db).create(seeded.callers[request.role].operatorId, t.clock.now());
            caller = sessionCaller(request.role, cookieOf(cookieValue), session.csrfToken);
          }
          const reply = await t.app.inject({
            method: request.method as 'GET',
            url: request.url,
            headers: { ...caller.headers(request.method), ...(request.contentType ? { 'content-type': request.contentType } : {}) },
            ...(request.payload === undefined ? {} : { payload: request.payload }),
          });
          const faults = answerFaults(reply, seeded.secrets);
          expect(faults, `${request.role} ${request.method} ${request.url} (${request.contentType ?? 'no body'}) → ${reply.statusCode} ${reply.body.slice(0, 500)}`).toEqual([]);
        }), { seed: seedOf(name, BASE_SEED), numRuns: RUNS_PER_ROUTE, endOnFailure: false });
      });
    }

    for (const op of OPERATIONS.filter((o) => !o.multipart && o.path !== '/api/v1/auth/logout')) {
      const name = routeName(op);
      it(`${name}: every edge value in every place`, async () => {
        const failures: string[] = [];
        for (const request of sweepOf(op, seeded)) {
          const reply = await t.app.inject({
            method: op.method as 'GET', url: request.url, headers: seeded.callers['tenant-admin'].headers(op.method),
            ...(request.body === undefined ? {} : { payload: JSON.stringify(request.body) ?? 'null', headers: { ...seeded.callers['tenant-admin'].headers(op.method), 'content-type': 'application/json' } }),
          });
          const faults = answerFaults(reply, seeded.secrets);
          if (faults.length) failures.push(`${op.method} ${request.url} ${request.body === undefined ? '' : JSON.stringify(request.body).slice(0, 300)} → ${reply.statusCode} ${faults.join(', ')}`);
        }
        expect(failures).toEqual([]);
      });
    }

    it('a bearer key of another role and garbage credentials are refused as problems, never errors', async () => {
      const keys = [seeded.verifierKey, 'hwt_', 'hwt_x_y', 'Bearer', '', 'x'.repeat(5000), '\u00e9'];
      for (const secret of keys) {
        for (const op of OPERATIONS.filter((o) => o.path.startsWith('/api/'))) {
          const url = op.path.replace('{tenant}', 'acme').replace('{id}', crypto.randomUUID());
          const reply = await t.app.inject({ method: op.method as 'GET', url, headers: bearerCaller('key', secret).headers(op.method) });
          expect(answerFaults(reply, seeded.secrets), `${op.method} ${url}`).toEqual([]);
        }
      }
      for (const authorization of ['Basic YWRtaW46YWRtaW4=', 'Bearer', 'bearer  x', 'Bearer hwt_a b', '\u00ff\u00fe']) {
        const reply = await t.app.inject({ method: 'GET', url: '/api/v1/tenants/acme/hw-tokens', headers: { authorization } });
        expect(answerFaults(reply, seeded.secrets)).toEqual([]);
        expect(reply.statusCode).toBe(401);
      }
      for (const cookie of ['hwt_session=', 'hwt_session=%', 'hwt_session=x'.repeat(300), 'hwt_session="a"; hwt_session=b']) {
        const reply = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
        expect(answerFaults(reply, seeded.secrets)).toEqual([]);
        expect(reply.statusCode).toBe(401);
      }
    });
  });
}
