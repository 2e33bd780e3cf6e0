// SPEC §5 under a crash: an OTP is accepted at most once and a counter never goes back, even across a kill -9 of the server under verify load.
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { hotpCode, secretWithDistinctCodes } from '../helpers/otp-codes.js';
import { startServerProcess, type RemoteClient, type ServerProcess } from '../helpers/server-process.js';
import { attempt, BASE, FAULT_DIALECTS, seedTenant, serverOptions, sleep } from './fault-support.js';

const USERS = 12;
/** Load before the kill: at least this long, and at least this many accepted OTPs. */
const LOAD_MS = 1_500;
const MIN_ACCEPTED = 150;
/** A holder's counters stay below this: its OTPs there never repeat (see secretWithDistinctCodes). */
const MAX_COUNTERS = 1_000;
/** The tenant's look-ahead: a replay is checked against this many counters. */
const LOOK_AHEAD = 10;

interface Holder {
  username: string;
  tokenId: string;
  secret: Buffer;
  /** Counters whose OTP the service accepted (each must be accepted once). */
  accepted: number[];
  /** The counter whose OTP was in flight when the server died, if any. */
  inFlight?: number;
}

for (const dialect of FAULT_DIALECTS) {
  describe(`kill -9 under verify load (${dialect})`, () => {
    let database: TestDatabase;
    let server: ServerProcess | undefined;
    afterAll(async () => {
      await server?.stop();
      await database?.drop();
    });

    it('no OTP is accepted twice across the restart and no counter goes back', async () => {
      database = await createTestDatabase(dialect);
      const options = serverOptions(database);
      server = await startServerProcess(options);
      const { admin, keys } = await seedTenant(server.baseUrl);
      // Replays after the restart are failures: they must not lock the tokens.
      expect((await admin.request('PATCH', `${BASE}/settings`, { maxFailures: 1000, hotpLookAhead: LOOK_AHEAD })).status).toBe(200);
      const holders: Holder[] = [];
      for (let i = 0; i < USERS; i++) holders.push(await holderOf(admin, `crash${i}`));

      const verify = (baseUrl: string, holder: Holder, counter: number) => attempt(`${baseUrl}${BASE}/verify`, {
        method: 'POST', headers: { authorization: `Bearer ${keys.verifier}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username: holder.username, otp: hotpCode(holder.secret, counter) }),
      });

      // Each holder's OTPs in order, each sent twice at the same moment (two login attempts racing): one may win.
      let dead = false;
      const doubles: string[] = [];
      const load = holders.map(async (holder) => {
        for (let counter = 0; !dead && counter < MAX_COUNTERS; counter++) {
          const replies = await Promise.all([verify(server!.baseUrl, holder, counter), verify(server!.baseUrl, holder, counter)]);
          const wins = replies.filter((r) => 'status' in r && r.body.accepted === true).length;
          if (wins > 1) doubles.push(`${holder.username} #${counter}`);
          if (wins > 0) holder.accepted.push(counter);
          if (replies.some((r) => 'lost' in r)) {
            if (wins === 0) holder.inFlight = counter;
            return;
          }
          for (const reply of replies) expect(reply).toMatchObject({ status: 200 });
          if (wins === 0) throw new Error(`${holder.username} #${counter} was refused before the crash: ${JSON.stringify(replies)}`);
        }
      });
      const started = Date.now();
      while (Date.now() - started < LOAD_MS || holders.reduce((n, h) => n + h.accepted.length, 0) < MIN_ACCEPTED) await sleep(20);
      await server.kill();
      dead = true;
      await Promise.all(load);
      expect(doubles).toEqual([]);
      const acceptedBefore = holders.reduce((n, h) => n + h.accepted.length, 0);
      expect(acceptedBefore).toBeGreaterThanOrEqual(MIN_ACCEPTED);
      const loadSeconds = (Date.now() - started) / 1000;

      server = await startServerProcess(options);
      const storage = database.open();
      const counters = new Map<string, number>();
      try {
        for (const row of await storage.db.selectFrom('hw_tokens').select(['id', 'counter']).execute()) counters.set(row.id, Number(row.counter));
      } finally {
        await storage.close();
      }
      const replayedAndAccepted: string[] = [];
      for (const holder of holders) {
        const stored = counters.get(holder.tokenId)!;
        // Every acknowledged acceptance survived the crash: the counter is past it.
        const last = Math.max(-1, ...holder.accepted);
        expect({ user: holder.username, counterAtLeast: stored >= last + 1 }).toEqual({ user: holder.username, counterAtLeast: true });
        // Accepted OTPs are refused after the restart (the latest, most at risk, and a sample of older ones).
        const replay = [...new Set([...holder.accepted.slice(-20), ...holder.accepted.filter((_, i) => i % 17 === 0)])];
        for (const counter of replay) {
          const reply = await verify(server.baseUrl, holder, counter);
          if (!('status' in reply) || reply.status !== 200 || reply.body.accepted !== false) replayedAndAccepted.push(`${holder.username} #${counter}: ${JSON.stringify(reply)}`);
        }
        // The OTP in flight at the crash is accepted now only if the crash lost it before it was stored.
        if (holder.inFlight !== undefined) {
          const reply = await verify(server.baseUrl, holder, holder.inFlight);
          expect(reply).toMatchObject({ status: 200 });
          if ((reply as { body: { accepted: boolean } }).body.accepted) {
            expect(stored, `${holder.username}: in-flight #${holder.inFlight} was stored, yet accepted again`).toBeLessThanOrEqual(holder.inFlight);
            holder.accepted.push(holder.inFlight);
          }
        }
        // And the token goes on: its next OTP is accepted.
        const next = Math.max(stored, Math.max(-1, ...holder.accepted) + 1);
        expect(await verify(server.baseUrl, holder, next), holder.username).toMatchObject({ status: 200, body: { accepted: true } });
      }
      expect(replayedAndAccepted).toEqual([]);
      process.stdout.write(`verify under kill -9 (${dialect}): ${acceptedBefore} OTPs accepted in ${loadSeconds.toFixed(1)} s before the kill, `
        + `${holders.filter((h) => h.inFlight !== undefined).length} in flight at the kill, none accepted twice\n`);
    }, 180_000);
  });
}

async function holderOf(admin: RemoteClient, username: string): Promise<Holder> {
  const secret = secretWithDistinctCodes(MAX_COUNTERS + LOOK_AHEAD);
  const user = await admin.post(`${BASE}/users`, { username });
  const token = await admin.post(`${BASE}/hw-tokens`, { serial: `${username}-hotp`, type: 'hotp', secretHex: secret.toString('hex') });
  const assigned = await admin.post(`${BASE}/hw-tokens/${token.body.id}/assign`, { userId: user.body.id });
  if (user.status !== 201 || token.status !== 201 || assigned.status !== 200) throw new Error(`holder ${username} not set up`);
  return { username, tokenId: token.body.id, secret, accepted: [] };
}
