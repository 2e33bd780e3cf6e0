import path from 'node:path';
import autocannon from 'autocannon';
import type { Dialect } from '../../src/server/storage/db.js';
import { hotp } from '../../src/server/modules/otp/index.js';
import { sql } from 'kysely';
import { benchDatabase, type BenchDatabase, pinPostgres, refreshStatistics, SERVER_CORE, serverCoreBusyMicros, startPinned, startService, stop } from './bench-env.js';
import { benchUser, seedTenant, seedUsersWithHotp, type BenchUser } from './seed.js';
import { median } from './stats.js';

const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** An unrecorded first run: the server's JIT and caches warm up before the measured runs. */
const WARMUP_SECONDS = 3;
export const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const USERS = 20_000;

export interface LoadResult {
  rps: number; p99: number; errors: number; non2xx: number; accepted?: number;
  /** Busy time of the server's core per request, in µs: steadier than the rate on a shared host. */
  coreMicros: number;
}

/**
 * One autocannon run; `body()` gives each request's JSON. `settle` runs after
 * it, inside the core time measured: the work the load left to the server's
 * database for later is counted as this run's, not as the next run's.
 */
async function load(url: string, headers: Record<string, string>, body: () => string, seconds = SECONDS, settle?: () => Promise<void>): Promise<LoadResult> {
  const busyBefore = serverCoreBusyMicros();
  const result = await autocannon({
    url: `${url}/api/v1/tenants/bench/verify`, method: 'POST', connections: CONNECTIONS, duration: seconds,
    headers: { 'content-type': 'application/json', ...headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  await settle?.();
  const coreMicros = (serverCoreBusyMicros() - busyBefore) / result.requests.total;
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx, coreMicros };
}

/** What one server is asked for in a run, and how its accepted OTPs are counted. */
interface Target {
  name: string;
  run(seconds?: number): Promise<LoadResult>;
  close(): Promise<void>;
}

export interface VerifyFigures extends LoadResult {
  name: string;
  /** Median over rounds of this round's rate / the bare route's rate in the same round. */
  ratio: number;
  /** The same for busy core time per request: bare µs / this µs. */
  coreRatio: number;
  samples: number[];
}

/**
 * The bare route and the verify servers all run at once, idle but for the one
 * under load, and are measured in interleaved rounds (bare, SQLite,
 * PostgreSQL, bare, ...). Each ratio is taken within a round, so a host that
 * slows down or speeds up between rounds moves both sides of it alike.
 */
export async function benchVerifyRounds(dialects: Dialect[]): Promise<VerifyFigures[]> {
  const targets: Target[] = [];
  try {
    targets.push(await bareTarget());
    for (const dialect of dialects) targets.push(await prototypeTarget(dialect), await verifyTarget(dialect));
    if (dialects.includes('postgres')) pinPostgres(SERVER_CORE);
    for (const target of targets) await target.run(WARMUP_SECONDS);
    const rounds: LoadResult[][] = [];
    for (let i = 0; i < RUNS; i++) {
      const round: LoadResult[] = [];
      for (const target of targets) round.push(await target.run());
      rounds.push(round);
    }
    return targets.map((target, t) => summary(target.name, rounds.map((round) => ({ bare: round[0]!, own: round[t]! }))));
  } finally {
    if (dialects.includes('postgres')) pinPostgres('0-1');
    for (const target of targets.reverse()) await target.close();
  }
}

function summary(name: string, rounds: { bare: LoadResult; own: LoadResult }[]): VerifyFigures {
  const own = rounds.map((r) => r.own);
  return {
    name,
    rps: median(own.map((r) => r.rps)), p99: median(own.map((r) => r.p99)), coreMicros: median(own.map((r) => r.coreMicros)),
    errors: own.reduce((n, r) => n + r.errors, 0), non2xx: own.reduce((n, r) => n + r.non2xx, 0),
    accepted: own.reduce((n, r) => n + (r.accepted ?? 0), 0), samples: own.map((r) => Math.round(r.rps)),
    ratio: median(rounds.map((r) => r.own.rps / r.bare.rps)),
    coreRatio: median(rounds.map((r) => r.bare.coreMicros / r.own.coreMicros)),
  };
}

/** The ceiling: a bare route validating the same JSON. */
async function bareTarget(): Promise<Target> {
  const { url, child } = await startPinned(['tools/bench/bare-server.ts'], {});
  const body = JSON.stringify({ username: 'u000001', otp: '123456' });
  return { name: 'bare route (ceiling)', run: (seconds) => load(url, {}, () => body, seconds), close: () => stop(child) };
}

/** Right OTPs through the real service: API-key auth, verification, compare-and-set, audit. */
async function verifyTarget(dialect: Dialect): Promise<Target> {
  const database = await benchDatabase(dialect);
  const seeded = await seedTenant(database.services);
  const users = await seedUsersWithHotp(database.services, seeded, USERS);
  const apiKey = await seeded.apiKey('verifier');
  await refreshStatistics(database);
  const { url, child } = await startService(database);
  const headers = { authorization: `Bearer ${apiKey}` };
  const nextBody = rightOtps(users);
  return {
    name: `verify on ${dialectName(dialect)}`,
    async run(seconds) {
      const before = await acceptedCount(database);
      const result = await load(url, headers, nextBody, seconds, () => settle(database, ['hw_tokens', 'hw_token_use', 'audit_events', 'audit_heads']));
      return { ...result, accepted: (await acceptedCount(database)) - before };
    },
    async close() {
      await stop(child);
      await database.drop();
    },
  };
}

const dialectName = (dialect: Dialect) => (dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL');

/**
 * Request k goes to user k mod U with that user's next counter: every OTP is
 * right, and each user's OTPs arrive in order.
 */
function rightOtps(users: BenchUser[]): () => string {
  let sent = 0;
  return () => {
    const k = sent++;
    const user = users[k % users.length]!;
    const otp = hotp(user.secret, Math.floor(k / users.length), { algorithm: 'SHA1', digits: 6 });
    return JSON.stringify({ username: user.username, otp });
  };
}

/**
 * The reference the goals were set against (see prototype-server.ts), on a
 * table of its own in a fresh database, with as many users and the same
 * requests as the service.
 */
async function prototypeTarget(dialect: Dialect): Promise<Target> {
  const database = await benchDatabase(dialect);
  const { db } = database.services.storage;
  await sql.raw(`create table prototype_tokens (username text primary key, secret ${dialect === 'sqlite' ? 'blob' : 'bytea'} not null,
    counter bigint not null, version integer not null)`).execute(db);
  const users = Array.from({ length: USERS }, (_, i) => benchUser(i));
  for (let i = 0; i < users.length; i += 500) {
    const rows = users.slice(i, i + 500).map((user) => sql`(${user.username}, ${user.secret}, 0, 0)`);
    await sql`insert into prototype_tokens values ${sql.join(rows)}`.execute(db);
  }
  await refreshStatistics(database);
  const env: Record<string, string> = dialect === 'sqlite' ? { PROTOTYPE_SQLITE: path.join(database.env.HWT_DATA_DIR!, 'hwtokens.db') } : { HWT_DATABASE_URL: database.env.HWT_DATABASE_URL! };
  const { url, child } = await startPinned(['tools/bench/prototype-server.ts'], env);
  const nextBody = rightOtps(users);
  // Each accepted OTP moves its token's counter by one.
  const counted = async () => Number((await sql<{ n: number }>`select sum(counter) as n from prototype_tokens`.execute(db)).rows[0]?.n ?? 0);
  return {
    name: `prototype, ${dialectName(dialect)}`,
    async run(seconds) {
      const before = await counted();
      const result = await load(url, {}, nextBody, seconds, () => settle(database, ['prototype_tokens']));
      return { ...result, accepted: (await counted()) - before };
    },
    async close() {
      await stop(child);
      await database.drop();
    },
  };
}

/**
 * Waits until the database has done what the run left it: PostgreSQL writes
 * its dirty pages and vacuums the updated tables (else its checkpointer and
 * autovacuum run on the server's core while the next target is measured);
 * SQLite's checkpointer, in the server process, takes up to a second.
 */
async function settle(database: BenchDatabase, updatedTables: string[]): Promise<void> {
  if (database.dialect === 'sqlite') {
    await new Promise((r) => setTimeout(r, 1500));
    return;
  }
  await sql`checkpoint`.execute(database.services.storage.db);
  await sql.raw(`vacuum ${updatedTables.join(', ')}`).execute(database.services.storage.db);
}

async function acceptedCount(database: BenchDatabase): Promise<number> {
  const row = await database.services.storage.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'verify').where('outcome', '=', 'accepted').executeTakeFirstOrThrow();
  return Number(row.n);
}

