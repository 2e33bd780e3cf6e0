// SPEC §8 readiness under a database outage: a server whose PostgreSQL goes away answers 503 (never 500) and recovers by itself.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hotpCode } from '../helpers/otp-codes.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { ADMIN_PASSWORD, attempt, BASE, seedTenant, sleep, waitFor } from './fault-support.js';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

const unavailable = privatePostgresUnavailable();
const OUTAGE_MS = 4_000;

type Phase = 'up' | 'stopping' | 'down' | 'restarting' | 'back';
interface Answer { phase: Phase; what: string; status: number | 'lost'; contentType?: string; code?: string; retryAfter?: string | null }

describe.skipIf(unavailable)(`PostgreSQL stopped under load${unavailable ? ` [SKIPPED: ${unavailable}]` : ''}`, () => {
  let postgres: PrivatePostgres | undefined;
  let server: ServerProcess | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-fault-outage-'));
  afterAll(async () => {
    await server?.stop();
    postgres?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('readiness and the API answer 503 problem+json while it is down, never 500; the same process recovers by itself', async () => {
    postgres = await startPrivatePostgres();
    await postgres.createDatabase('hwtokens');
    server = await startServerProcess({ databaseUrl: postgres.url('hwtokens'), masterKey: crypto.randomBytes(32).toString('base64'), dataDir, adminPassword: ADMIN_PASSWORD });
    const baseUrl = server.baseUrl;
    const { admin, keys } = await seedTenant(baseUrl);
    expect((await admin.request('PATCH', `${BASE}/settings`, { maxFailures: 1000 })).status).toBe(200);
    const secret = crypto.randomBytes(20);
    const user = await admin.post(`${BASE}/users`, { username: 'outage' });
    const token = await admin.post(`${BASE}/hw-tokens`, { serial: 'OUTAGE-1', type: 'hotp', secretHex: secret.toString('hex') });
    expect((await admin.post(`${BASE}/hw-tokens/${token.body.id}/assign`, { userId: user.body.id })).status).toBe(200);

    const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;

    let phase: Phase = 'up';
    let running = true;
    let counter = 0;
    const answers: Answer[] = [];
    const bearer = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
    const ask = async (what: string, url: string, init: RequestInit = {}) => {
      const at = phase;
      const reply = await attempt(`${baseUrl}${url}`, init);
      const answer: Answer = 'lost' in reply
        ? { phase: at, what, status: 'lost' }
        : { phase: at, what, status: reply.status, contentType: reply.contentType, code: reply.body?.code, retryAfter: reply.retryAfter };
      answers.push(answer);
      return reply;
    };
    const verify = (otp: string) => ask('verify', `${BASE}/verify`, { method: 'POST', headers: bearer(keys.verifier), body: JSON.stringify({ username: 'outage', otp }) });
    // Several of each at once, so that the crash finds connections checked out in the middle of transactions.
    const loops = [
      async () => {
        const reply = await verify(hotpCode(secret, counter));
        if ('status' in reply && reply.body?.accepted) counter++;
      },
      ...Array.from({ length: 4 }, () => async () => { await verify('000000'); }),
      ...Array.from({ length: 3 }, () => async () => { await ask('list', `${BASE}/hw-tokens?limit=20`, { headers: bearer(keys.tokenAdmin) }); }),
      ...Array.from({ length: 2 }, () => async () => { await ask('me', '/api/v1/auth/me', { headers: { cookie } }); }),
      async () => { await ask('readyz', '/readyz'); },
      async () => { await ask('healthz', '/healthz'); },
    ].map(async (step) => {
      while (running) {
        await step();
        await sleep(2);
      }
    });

    await sleep(1_000);
    phase = 'stopping';
    postgres.crash();
    const downAt = Date.now();
    const probes: string[] = [];
    await waitFor('/readyz to answer 503', 20_000, async () => {
      const t0 = Date.now();
      const reply = await attempt(`${baseUrl}/readyz`);
      probes.push(`${Date.now() - downAt}ms +${Date.now() - t0}: ${JSON.stringify(reply).slice(0, 120)}`);
      return 'status' in reply && reply.status === 503 ? true : undefined;
    }, 50).catch((error: Error) => {
      throw new Error(`${error.message}\n${probes.slice(0, 5).join('\n')}\n…\n${probes.slice(-5).join('\n')}\n${JSON.stringify(answers.slice(-30))}\n${server!.output().slice(-3000)}`);
    });
    const detectedMs = Date.now() - downAt;
    phase = 'down';
    await sleep(OUTAGE_MS);
    phase = 'restarting';
    postgres.start();
    const upAt = Date.now();
    await waitFor('/readyz to answer 200 again', 30_000, async () => {
      const reply = await attempt(`${baseUrl}/readyz`);
      return 'status' in reply && reply.status === 200 ? true : undefined;
    }, 50);
    const recoveredMs = Date.now() - upAt;
    phase = 'back';
    // The right OTP is accepted again (an OTP caught by the crash may have been stored: the look-ahead window takes the next).
    await waitFor('a verification accepted after the outage', 30_000, async () => {
      for (const next of [counter, counter + 1, counter + 2]) {
        const reply = await verify(hotpCode(secret, next));
        if ('status' in reply && reply.body?.accepted) {
          counter = next + 1;
          return true;
        }
      }
      return undefined;
    }, 200);
    await sleep(500);
    running = false;
    await Promise.all(loops);

    const summary = (phaseOf: Phase) => {
      const counts = new Map<string, number>();
      for (const a of answers.filter((x) => x.phase === phaseOf)) {
        const key = `${a.what} ${a.status}${a.code ? ` ${a.code}` : ''}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return Object.fromEntries([...counts].sort());
    };
    const report = JSON.stringify({ detectedMs, recoveredMs, up: summary('up'), stopping: summary('stopping'), down: summary('down'), restarting: summary('restarting'), back: summary('back') }, null, 1);
    process.stdout.write(`PostgreSQL outage: ${report}\n`);

    // Never a 500, never a dropped connection: the process stayed up and answered every request.
    expect(answers.filter((a) => a.status === 'lost' || (typeof a.status === 'number' && a.status >= 500 && a.status !== 503)), report).toEqual([]);
    // While it was down: liveness 200, everything that needs the database 503 problem+json SERVICE_UNAVAILABLE.
    const down = answers.filter((a) => a.phase === 'down');
    expect(down.filter((a) => a.what === 'healthz').every((a) => a.status === 200)).toBe(true);
    const needsDatabase = down.filter((a) => a.what !== 'healthz');
    expect(needsDatabase.length).toBeGreaterThan(20);
    for (const answer of needsDatabase) {
      expect(answer, report).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', contentType: expect.stringMatching(/^application\/problem\+json/) });
      // API callers are told when to come back.
      if (answer.what !== 'readyz') expect(answer.retryAfter, `${answer.what}: ${report}`).toBe('5');
    }
    // Back: readiness, lists and sign-in sessions work in the same process.
    const back = answers.filter((a) => a.phase === 'back');
    for (const what of ['readyz', 'list', 'me']) {
      expect(back.filter((a) => a.what === what).length, what).toBeGreaterThan(0);
      expect(back.filter((a) => a.what === what && a.status !== 200), `${what} after recovery: ${report}`).toEqual([]);
    }
  }, 180_000);
});
