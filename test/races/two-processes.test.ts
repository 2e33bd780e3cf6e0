// SPEC §3/§5 under real concurrency: two server processes on one database (a PostgreSQL, or one SQLite file) accept an OTP once and keep a user's last active token.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import type { Dialect } from '../../src/server/storage/db.js';
import { hotpCode } from '../helpers/otp-codes.js';
import { RemoteClient, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const TRIALS = 50;
const SECRET = crypto.randomBytes(20);

const WHERE: Record<Dialect, string> = { postgres: 'one PostgreSQL', sqlite: 'one SQLite file' };

/**
 * On SQLite the second process is what a site meets when the CLI (`import`,
 * `keys rotate`) writes while the server runs: two connections that take
 * turns at the file's write lock.
 */
for (const dialect of DIALECTS) {
  describe(`two server processes on ${WHERE[dialect]}`, () => {
    let database: TestDatabase;
    const servers: ServerProcess[] = [];
    /** The same tenant-admin API key, on process A and on process B. */
    let a: RemoteClient;
    let b: RemoteClient;
    const base = '/api/v1/tenants/acme';

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const options = { databaseUrl: database.url ?? '', masterKey: crypto.randomBytes(32).toString('base64'), dataDir: database.dataDir, adminPassword: 'two-instances-on-one-database' };
      // One after the other: the first creates the superadmin.
      servers.push(await startServerProcess(options));
      servers.push(await startServerProcess(options));
      const admin = await RemoteClient.signIn(servers[0]!.baseUrl, 'admin', options.adminPassword);
      expect((await admin.post('/api/v1/tenants', { slug: 'acme', name: 'Acme Bank' })).status).toBe(201);
      const key = await admin.post(`${base}/api-keys`, { name: 'race', role: 'tenant-admin' });
      expect(key.status).toBe(201);
      a = new RemoteClient(servers[0]!.baseUrl, key.body.secret);
      b = a.on(servers[1]!.baseUrl);
      // The session made on A is good on B too: nothing lives in process memory.
      expect((await admin.on(servers[1]!.baseUrl).get('/api/v1/auth/me')).status).toBe(200);
    }, 180_000);

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await database?.drop();
    });

    /** A user holding `count` active HOTP tokens with SECRET. */
    const holder = async (username: string, count: number) => {
      const user = await a.post(`${base}/users`, { username });
      expect(user.status).toBe(201);
      const tokens: string[] = [];
      for (let i = 0; i < count; i++) {
        const token = await a.post(`${base}/hw-tokens`, { serial: `${username}-${i}`, type: 'hotp', secretHex: SECRET.toString('hex') });
        expect(token.status).toBe(201);
        expect((await a.post(`${base}/hw-tokens/${token.body.id}/assign`, { userId: user.body.id })).status).toBe(200);
        tokens.push(token.body.id);
      }
      return { user: user.body, tokens };
    };

    it(`accepts the same HOTP exactly once when it reaches both processes at once (${TRIALS} trials)`, async () => {
      const { user, tokens } = await holder('racer', 1);
      const outcomes: number[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        const body = { username: user.username, otp: hotpCode(SECRET, trial) };
        const replies = await Promise.all([a, b, a, b].map((client) => client.post(`${base}/verify`, body)));
        for (const reply of replies) expect(reply.status).toBe(200);
        const accepted = replies.filter((r) => r.body.accepted === true);
        outcomes.push(accepted.length);
        for (const reply of replies) if (!reply.body.accepted) expect(reply.body).toEqual({ accepted: false, reason: 'rejected' });
      }
      expect(outcomes).toEqual(Array(TRIALS).fill(1));
      // The counter moved once per trial, and the audit trail agrees.
      const row = await database.open();
      try {
        const token = await row.db.selectFrom('hw_tokens').select(['counter', 'fail_count']).where('id', '=', tokens[0]!).executeTakeFirstOrThrow();
        expect(Number(token.counter)).toBe(TRIALS);
        const accepted = await row.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action', '=', 'verify').where('outcome', '=', 'accepted').where('token_id', '=', tokens[0]!).executeTakeFirstOrThrow();
        expect(Number(accepted.n)).toBe(TRIALS);
      } finally {
        await row.close();
      }
    }, 120_000);

    it(`disables exactly one of a user's two active tokens when both are disabled at once on the two processes (${TRIALS} trials)`, async () => {
      const { user, tokens } = await holder('twotokens', 2);
      const [first, second] = tokens as [string, string];
      const refusals: string[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        const [x, y] = trial % 2 ? [first, second] : [second, first];
        const replies = await Promise.all([a.post(`${base}/hw-tokens/${x}/disable`), b.post(`${base}/hw-tokens/${y}/disable`)]);
        const statuses = replies.map((r) => r.status).sort();
        expect(statuses, JSON.stringify(replies.map((r) => r.body))).toEqual([200, 409]);
        refusals.push(replies.find((r) => r.status === 409)!.body.code);
        const detail = await a.get(`${base}/users/${user.id}`);
        expect(detail.body.activeTokens).toBe(1);
        const disabled = replies[0]!.status === 200 ? x : y;
        expect((await b.post(`${base}/hw-tokens/${disabled}/enable`)).status).toBe(200);
      }
      expect(new Set(refusals)).toEqual(new Set(['LAST_ACTIVE_TOKEN']));
    }, 120_000);

    it('kept the audit chain whole while both processes appended to it at once', async () => {
      const report = await b.get(`${base}/audit/verify`);
      expect(report.status).toBe(200);
      expect(report.body.broken).toBeUndefined();
      expect(report.body.checked).toBeGreaterThan(4 * TRIALS);
    });
  });
}
