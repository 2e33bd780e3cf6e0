// Hostile or sloppy input gets an RFC 9457 problem with the right code, never a stack trace, and changes nothing.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addToken, addUser } from '../helpers/factories.js';
import { expectProblem, tokenState, tokenUrl } from '../helpers/api-checks.js';
import { holderOf, type OtpToken } from '../helpers/otp-codes.js';
import type { HttpClient, Reply } from '../helpers/http-client.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { REQUEST_TIMEOUT_MS } from '../../src/server/app.js';

for (const dialect of DIALECTS) {
  describe(`bad input (${dialect})`, () => {
    let t: TestApp;
    let verifier: HttpClient;
    let holder: { user: any; token: OtpToken };
    let base: string;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      verifier = await t.apiKey('verifier');
      base = `/api/v1/tenants/${t.tenant}`;
      const { user, tokens } = await holderOf(t.admin, t.tenant, [{}, {}]);
      holder = { user, token: tokens[0]! };
    });
    afterAll(async () => { await t?.close(); });

    /** Everything a bad request could have changed: the token, the inventory, the users, the audit trail. */
    const world = async () => ({
      token: await tokenState(t, holder.token.token.id),
      stats: (await t.admin.get(`${base}/hw-tokens/stats`)).body,
      users: (await t.admin.get(`${base}/users`)).body.total,
      auditHead: (await t.admin.get(`${base}/audit?limit=1`)).body.head,
    });
    /** `audited`: the refusal is an attempted action, recorded in the audit trail (and only there). */
    const expectAll = async (requests: (() => Promise<Reply>)[], status: number, code: string, options: { audited?: boolean } = {}) => {
      const before = await world();
      for (const send of requests) expectProblem(await send(), status, code);
      const after = await world();
      if (options.audited) {
        const events = await t.admin.get(`${base}/audit?limit=500`);
        const added = events.body.items.filter((e: { seq: number }) => e.seq > before.auditHead.seq);
        expect(added.length).toBeGreaterThan(0);
        for (const event of added) expect(event).toMatchObject({ outcome: 'refused', detail: expect.stringContaining(code) });
        Object.assign(after, { auditHead: before.auditHead });
      }
      expect(after).toEqual(before);
    };
    const id = () => holder.token.token.id as string;
    const json = { 'content-type': 'application/json' };

    it('malformed JSON → 400 VALIDATION_FAILED', async () => {
      await expectAll([
        () => t.admin.request('POST', `${base}/hw-tokens`, '{"serial": "X1", "type": "hotp",', json),
        () => t.admin.request('POST', tokenUrl(t, id(), 'compromise'), "{reason: 'unquoted'}", json),
        () => verifier.request('POST', `${base}/verify`, '{"username":"a","otp":"123456"} trailing', json),
        () => t.admin.request('POST', tokenUrl(t, id(), 'reset'), '', json),
        () => t.admin.request('POST', `${base}/users`, '{"username":"proto","__proto__":{"isAdmin":true}}', json),
      ], 400, 'VALIDATION_FAILED');
    });

    it('wrong types are not coerced → 400', async () => {
      await expectAll([
        () => t.admin.post(`${base}/hw-tokens`, { serial: 'TYPES-1', type: 'hotp', secretHex: '11'.repeat(20), digits: '6' }),
        () => t.admin.post(`${base}/hw-tokens`, { serial: 'TYPES-2', type: 'hotp', secretHex: '11'.repeat(20), counter: '5' }),
        () => t.admin.post(`${base}/hw-tokens`, { serial: 'TYPES-3', type: 'hotp', secretHex: '11'.repeat(20), digits: 7 }),
        () => t.admin.post(`${base}/hw-tokens`, { serial: 'TYPES-4', type: 'motp', secretHex: '11'.repeat(20) }),
        () => t.admin.post(`${base}/hw-tokens`, { serial: ['A'], type: 'hotp', secretHex: '11'.repeat(20) }),
        // A serial shaped like a token id would name two tokens where either is taken.
        () => t.admin.post(`${base}/hw-tokens`, { serial: id(), type: 'hotp', secretHex: '11'.repeat(20) }),
        () => t.admin.post(tokenUrl(t, id(), 'compromise'), { reason: 42 }),
        () => t.admin.post(tokenUrl(t, id(), 'assign'), { userId: 7 }),
        () => verifier.post(`${base}/verify`, { username: holder.user.username, otp: 123456 }),
        () => t.admin.patch(`${base}/settings`, { maxFailures: '3' }),
        () => t.admin.patch(`${base}/settings`, { hotpLookAhead: 0 }),
      ], 400, 'VALIDATION_FAILED');
    });

    it('unknown fields are refused, in bodies and in query strings → 400', async () => {
      await expectAll([
        () => t.admin.post(`${base}/hw-tokens`, { serial: 'EXTRA-1', type: 'hotp', secretHex: '11'.repeat(20), color: 'red' }),
        () => verifier.post(`${base}/verify`, { username: holder.user.username, otp: holder.token.code(0), trust: true }),
        () => t.admin.post(tokenUrl(t, id(), 'disable'), { force: true }),
        () => t.admin.post(tokenUrl(t, id(), 'compromise'), { reason: 'x', status: 'active' }),
        () => t.admin.patch(`${base}/settings`, { maxFailures: 3, debug: true }),
        () => t.admin.get(`${base}/hw-tokens?colour=red`),
        () => t.admin.get(`${base}/audit?everything=1`),
      ], 400, 'VALIDATION_FAILED');
    });

    it('a verification or assignment that names no user, or names one by id and another by name → 400, with nothing audited', async () => {
      const other = await addUser(t.admin, t.tenant);
      await expectAll([
        () => verifier.post(`${base}/verify`, { otp: holder.token.code(0) }),
        () => verifier.post(`${base}/verify`, { serial: holder.token.token.serial, otp: holder.token.code(0) }),
        () => verifier.post(`${base}/verify`, { username: holder.user.username, userId: other.id, otp: holder.token.code(0) }),
        () => t.admin.post(tokenUrl(t, id(), 'assign'), { username: holder.user.username, userId: other.id }),
      ], 400, 'VALIDATION_FAILED');
    });

    it('a username that looks like another → 400: invisible, control, decomposed or fullwidth characters', async () => {
      // The last is shaped like an id, which look-ups also take: it would name two users.
      const lookalikes = ['admin\u200b', '\u200dalice', 'bob\u0007', 'ju\u0308rgen', '\uff41\uff4c\uff49\uff43\uff45', 'carol\ue000', holder.user.id];
      await expectAll([
        ...lookalikes.map((username) => () => t.admin.post(`${base}/users`, { username })),
        ...lookalikes.map((username) => () => t.admin.post('/api/v1/operators', { username, password: 'a-long-enough-password-2026' })),
        // Names read in lists and the trail: no newline or right-to-left override that would make them read as another.
        () => t.admin.post(`${base}/api-keys`, { name: 'login\nadmin', role: 'verifier' }),
        () => t.admin.post(`${base}/users`, { username: 'rtl-user', displayName: 'Bob \u202eevil' }),
        () => t.admin.post('/api/v1/operators', { username: 'rtl-operator', password: 'a-long-enough-password-2026', displayName: 'tab\there' }),
      ], 400, 'VALIDATION_FAILED');
      for (const username of ['j\u00fcrgen', '\u540d\u524d', "o'brien", 'dana@example.com']) {
        expect((await t.admin.post(`${base}/users`, { username })).status, username).toBe(201);
      }
    });

    it('a 1 MB body → 413 PAYLOAD_TOO_LARGE', async () => {
      const big = 'x'.repeat(1024 * 1024);
      await expectAll([
        () => t.admin.post(`${base}/hw-tokens`, { serial: 'BIG-1', type: 'hotp', secretHex: '11'.repeat(20), description: big }),
        () => verifier.post(`${base}/verify`, { username: big, otp: '123456' }),
        () => t.admin.post(tokenUrl(t, id(), 'compromise'), { reason: big }),
      ], 413, 'PAYLOAD_TOO_LARGE');
    });

    it('a client that sends its request slowly is cut off: headers within a minute, the whole request within 5 minutes', () => {
      expect(t.app.server.headersTimeout).toBe(60_000);
      expect(t.app.server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
      expect(REQUEST_TIMEOUT_MS).toBe(300_000);
    });

    it("requests Node's HTTP parser refuses get problem+json too: headers too large (431), an unknown method (400)", async () => {
      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = new URL(address);
      const rawAnswer = (request: string) => new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(request));
        let text = '';
        socket.on('data', (chunk) => { text += chunk.toString(); }).on('close', () => resolve(text)).on('error', reject);
      });
      const huge = await rawAnswer(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`);
      const method = await rawAnswer('FOO /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      for (const [answer, status, code] of [[huge, 431, 'HEADERS_TOO_LARGE'], [method, 400, 'VALIDATION_FAILED']] as const) {
        const [head, body] = answer.split('\r\n\r\n');
        expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
        expect(head).toMatch(/content-type: application\/problem\+json/i);
        expect(JSON.parse(body!)).toMatchObject({ status, code });
      }
    });

    it('every answer carries its request id, which a 500 would quote', async () => {
      const ids = [await t.admin.get(`${base}/hw-tokens`), await t.admin.get('/api/v1/no-such-route'), await verifier.post(`${base}/verify`, {})]
        .map((reply) => reply.headers['x-request-id']);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(ids).size).toBe(3);
    });

    it('an unknown token id → 404 NOT_FOUND (an attempted action is audited as refused); an over-long id → 400', async () => {
      const unknown = '11111111-2222-4333-8444-555555555555';
      await expectAll([
        () => t.admin.get(tokenUrl(t, unknown)),
        () => t.admin.get(tokenUrl(t, unknown, 'history')),
        () => t.admin.get(`${base}/users/${unknown}`),
        () => t.admin.get('/api/v1/no-such-route'),
      ], 404, 'NOT_FOUND');
      await expectAll([
        () => t.admin.post(tokenUrl(t, unknown, 'disable')),
        () => t.admin.post(tokenUrl(t, unknown, 'compromise'), { reason: 'lost' }),
      ], 404, 'NOT_FOUND', { audited: true });
      await expectAll([() => t.admin.get(tokenUrl(t, 'x'.repeat(65)))], 400, 'VALIDATION_FAILED');
    });

    it('OTPs that are not 6-8 digits (or a Yubico OTP) → 400', async () => {
      const user = holder.user.username;
      const otps = ['abc123', '12345', '123456789', '123 456', ' 123456', '١٢٣٤٥٦', '12345a', '', 'cbdefghijklnrtuv'];
      await expectAll([
        ...otps.map((otp) => () => verifier.post(`${base}/verify`, { username: user, otp })),
        () => t.admin.post(tokenUrl(t, id(), 'reset'), { otp1: 'abcdef', otp2: '123456' }),
        () => t.admin.post(tokenUrl(t, id(), 'reset'), { otp1: '123456' }),
        () => t.admin.post(tokenUrl(t, id(), 'reset'), { otp1: '123456', otp2: 'cbdefghijklnrtuvcbdefghijklnrtuv' }),
        () => t.admin.post(tokenUrl(t, id(), 'assign'), { username: user, otp: '12-34-56' }),
      ], 400, 'VALIDATION_FAILED');
    });

    it('a reason of 501 characters, an empty or blank one → 400', async () => {
      await expectAll(['r'.repeat(501), '', ' \t\n '].map((reason) => () => t.admin.post(tokenUrl(t, id(), 'compromise'), { reason })),
        400, 'VALIDATION_FAILED');
    });

    it('a bad cursor, limit 0 or 501, an unknown sort or status → 400', async () => {
      const forged = Buffer.from(JSON.stringify({ not: 'a cursor' })).toString('base64url');
      const bySerial = (await t.admin.get(`${base}/hw-tokens?limit=1&sort=serial`)).body.nextCursor as string;
      expect((await t.admin.get(`${base}/hw-tokens?limit=1&sort=serial&cursor=${bySerial}`)).status).toBe(200);
      await expectAll([
        // A cursor is a position in one order: in another it would skip or repeat tokens.
        () => t.admin.get(`${base}/hw-tokens?sort=-serial&cursor=${bySerial}`),
        () => t.admin.get(`${base}/hw-tokens?sort=status&cursor=${bySerial}`),
        () => t.admin.get(`${base}/hw-tokens?cursor=garbage!`),
        () => t.admin.get(`${base}/hw-tokens?cursor=${forged}`),
        () => t.admin.get(`${base}/hw-tokens?cursor=${'A'.repeat(600)}`),
        () => t.admin.get(`${base}/hw-tokens?limit=0`),
        () => t.admin.get(`${base}/hw-tokens?limit=501`),
        () => t.admin.get(`${base}/hw-tokens?limit=ten`),
        () => t.admin.get(`${base}/hw-tokens?sort=secret`),
        () => t.admin.get(`${base}/hw-tokens?status=lost`),
        () => t.admin.get(`${base}/hw-tokens?assigned=maybe`),
        () => t.admin.get(`${base}/hw-tokens.csv?limit=0`),
        // The export has no pages: it says so instead of ignoring them.
        () => t.admin.get(`${base}/hw-tokens.csv?limit=10`),
        () => t.admin.get(`${base}/hw-tokens.csv?cursor=abc`),
        () => t.admin.get(`${base}/audit?cursor=abc`),
        () => t.admin.get(`${base}/audit?limit=501`),
        () => t.admin.get(`${base}/audit?from=yesterday`),
        () => t.admin.get(`${base}/users?limit=0`),
        () => t.admin.get(`${tokenUrl(t, id(), 'history')}?limit=0`),
      ], 400, 'VALIDATION_FAILED');
    });

    it('bad key material is refused without echoing it', async () => {
      const secrets = ['NOT*BASE32*AT*ALL!!', 'zz'.repeat(20), '00'.repeat(8)];
      const replies = [
        await t.admin.post(`${base}/hw-tokens`, { serial: 'KEY-1', type: 'hotp', secret: secrets[0] }),
        await t.admin.post(`${base}/hw-tokens`, { serial: 'KEY-2', type: 'hotp', secretHex: secrets[1] }),
        await t.admin.post(`${base}/hw-tokens`, { serial: 'KEY-3', type: 'totp', secretHex: secrets[2] }),
        await t.admin.post(`${base}/hw-tokens`, { serial: 'KEY-4', type: 'hotp', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', secretHex: '11'.repeat(20) }),
        await t.admin.post(`${base}/hw-tokens`, { serial: 'KEY-5', type: 'hotp' }),
      ];
      replies.forEach((reply, i) => {
        expectProblem(reply, 400, 'VALIDATION_FAILED');
        if (secrets[i]) expect(reply.text).not.toContain(secrets[i]);
      });
      expect((await t.admin.get(`${base}/hw-tokens?serial=KEY-`)).body.total).toBe(0);
    });

    it('a duplicate serial, in any case → 409 DUPLICATE_SERIAL, the first token untouched', async () => {
      const first = await addToken(t.admin, t.tenant, { serial: 'Dup-Serial-1' });
      const before = await tokenState(t, first.id);
      for (const serial of ['Dup-Serial-1', 'DUP-SERIAL-1', ' dup-serial-1 ']) {
        expectProblem(await t.admin.post(`${base}/hw-tokens`, { serial, type: 'hotp', secretHex: '22'.repeat(20) }), 409, 'DUPLICATE_SERIAL');
      }
      expect(await tokenState(t, first.id)).toEqual(before);
    });

    it('a duplicate username, in any case → 409 CONFLICT, audited as refused', async () => {
      await expectAll([
        () => t.admin.post(`${base}/users`, { username: holder.user.username }),
        () => t.admin.post(`${base}/users`, { username: holder.user.username.toUpperCase() }),
      ], 409, 'CONFLICT', { audited: true });
    });

    it('an internal failure answers 500 INTERNAL_ERROR with nothing internal in it', async () => {
      const { tokens } = await holderOf(t.admin, t.tenant, [{}]);
      const broken = tokens[0]!.token;
      await t.services.storage.db.updateTable('hw_tokens').set({ secret_enc: 'v1:nokey:not-a-ciphertext' }).where('id', '=', broken.id).execute();
      const reply = await verifier.post(`${base}/verify`, { username: broken.holder.username, otp: '123456' });
      expectProblem(reply, 500, 'INTERNAL_ERROR');
      expect(reply.body.detail).not.toMatch(/cipher|decrypt|key|sql|hw_tokens/i);
    });

    it('a body that is not JSON → 415 (text/plain is read as text, and is no object: 400)', async () => {
      await expectAll([
        () => t.admin.request('POST', tokenUrl(t, id(), 'compromise'), 'reason=lost', { 'content-type': 'application/x-www-form-urlencoded' }),
        () => verifier.request('POST', `${base}/verify`, '<otp>123456</otp>', { 'content-type': 'application/xml' }),
      ], 415, 'UNSUPPORTED_MEDIA_TYPE');
      await expectAll([
        () => verifier.request('POST', `${base}/verify`, 'otp=123456', { 'content-type': 'text/plain' }),
        () => t.admin.request('POST', tokenUrl(t, id(), 'disable'), '', { 'content-type': 'text/plain' }),
      ], 400, 'VALIDATION_FAILED');
    });
  });
}
