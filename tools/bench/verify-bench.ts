import autocannon from 'autocannon';
import type { Dialect } from '../../src/server/storage/db.js';
import { hotp } from '../../src/server/modules/otp/index.js';
import { benchDatabase, pinPostgres, refreshStatistics, serverCoreBusyMicros, startPinned, stop } from './bench-env.js';
import { seedTenant, seedUsersWithHotp } from './seed.js';
import { median } from './stats.js';

const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** An unrecorded first run: the server's JIT and caches warm up before the measured runs. */
const WARMUP_SECONDS = 3;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const USERS = 20_000;

export interface LoadResult {
  rps: number; p99: number; errors: number; non2xx: number; accepted?: number;
  /** Busy time of the server's core per request, in µs: steadier than the rate on a shared host. */
  coreMicros: number;
}

/** One autocannon run; `body()` gives each request's JSON. */
async function load(url: string, headers: Record<string, string>, body: () => string, seconds = SECONDS): Promise<LoadResult> {
  const busyBefore = serverCoreBusyMicros();
  const result = await autocannon({
    url: `${url}/api/v1/tenants/bench/verify`, method: 'POST', connections: CONNECTIONS, duration: seconds,
    headers: { 'content-type': 'application/json', ...headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  const coreMicros = (serverCoreBusyMicros() - busyBefore) / result.requests.total;
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx, coreMicros };
}

async function medianOf(runs: () => Promise<LoadResult>): Promise<LoadResult & { samples: number[] }> {
  const results: LoadResult[] = [];
  for (let i = 0; i < RUNS; i++) results.push(await runs());
  return {
    rps: median(results.map((r) => r.rps)), p99: median(results.map((r) => r.p99)), coreMicros: median(results.map((r) => r.coreMicros)),
    errors: results.reduce((n, r) => n + r.errors, 0), non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    accepted: results.reduce((n, r) => n + (r.accepted ?? 0), 0), samples: results.map((r) => Math.round(r.rps)),
  };
}

/** The ceiling: a bare route validating the same JSON. */
export async function benchBare(): Promise<LoadResult & { samples: number[] }> {
  const { url, child } = await startPinned(['tools/bench/bare-server.ts'], {});
  try {
    const body = JSON.stringify({ username: 'u000001', otp: '123456' });
    await load(url, {}, () => body, WARMUP_SECONDS);
    return await medianOf(() => load(url, {}, () => body));
  } finally {
    await stop(child);
  }
}

/** Right OTPs through the real service: API-key auth, verification, compare-and-set, audit. */
export async function benchVerify(dialect: Dialect): Promise<LoadResult & { samples: number[] }> {
  const database = await benchDatabase(dialect);
  const seeded = await seedTenant(database.services);
  const users = await seedUsersWithHotp(database.services, seeded, USERS);
  const apiKey = await seeded.apiKey('verifier');
  await refreshStatistics(database);
  if (dialect === 'postgres') pinPostgres('0');
  const { url, child } = await startPinned(['src/server/cli/main.ts', 'serve'], database.env);
  let sent = 0;
  // Request k goes to user k mod U with that user's next counter: every OTP is right.
  const nextBody = () => {
    const k = sent++;
    const user = users[k % users.length]!;
    const otp = hotp(user.secret, Math.floor(k / users.length), { algorithm: 'SHA1', digits: 6 });
    return JSON.stringify({ username: user.username, otp });
  };
  try {
    await load(url, { authorization: `Bearer ${apiKey}` }, nextBody, WARMUP_SECONDS);
    const result = await medianOf(async () => {
      const before = await acceptedCount(database);
      const run = await load(url, { authorization: `Bearer ${apiKey}` }, nextBody);
      return { ...run, accepted: (await acceptedCount(database)) - before };
    });
    return result;
  } finally {
    await stop(child);
    if (dialect === 'postgres') pinPostgres('0-1');
    await database.drop();
  }
}

async function acceptedCount(database: Awaited<ReturnType<typeof benchDatabase>>): Promise<number> {
  const row = await database.services.storage.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'verify').where('outcome', '=', 'accepted').executeTakeFirstOrThrow();
  return Number(row.n);
}

