import crypto from 'node:crypto';
import { buildApp } from '../../src/server/app.js';
import type { Dialect } from '../../src/server/storage/db.js';
import { newTokenRow } from '../../src/server/modules/tokens/token-factory.js';
import type { TokenRow } from '../../src/server/modules/tokens/token-repository.js';
import { benchDatabase } from './bench-env.js';
import { hotpSpec, insertBatches, seedTenant, userRow } from './seed.js';
import { fixed, percentile } from './stats.js';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 1_000_000);
const SAMPLES = 20;
const USERS = 50_000;
const STATUSES = ['active', 'active', 'active', 'active', 'disabled', 'compromised'] as const;

/** Each filter and sort of SPEC §6, as the console sends them (total included). */
const QUERIES: [string, string][] = [
  ['first page (serial)', ''],
  ['serial prefix', 'serial=l00012'],
  ['serial prefix, other case', 'serial=L0004'],
  ['status=disabled', 'status=disabled'],
  ['status active+disabled', 'status=active&status=disabled'],
  ['type=totp', 'type=totp'],
  ['vendor', 'vendor=vendor-3'],
  ['vendor+model', 'vendor=vendor-3&model=model-1'],
  ['assigned=false, newest', 'assigned=false&sort=-createdAt'],
  ['assigned=true, newest', 'assigned=true&sort=-createdAt'],
  ['user prefix', 'user=u00012'],
  ['batch', 'batch=batch-7'],
  ['q (free text)', 'q=l000123'],
  ['sort status', 'sort=status'],
  ['sort type', 'sort=-type'],
  ['sort createdAt desc', 'sort=-createdAt'],
  ['sort lastUsedAt desc', 'sort=-lastUsedAt'],
  ['sort holder', 'sort=holder'],
  ['status+type+assigned', 'status=active&type=hotp&assigned=true&sort=-createdAt'],
  ['page 2 (cursor)', 'sort=-createdAt&cursor=NEXT'],
];

/** List-page latency on a tenant of TOKENS tokens, p95 of SAMPLES requests per query, on each database. */
export async function benchList(withPostgres: boolean): Promise<void> {
  for (const dialect of withPostgres ? (['sqlite', 'postgres'] as Dialect[]) : (['sqlite'] as Dialect[])) {
    const database = await benchDatabase(dialect);
    try {
      const seeded = await seedTenant(database.services);
      const started = performance.now();
      await seedTokens(database.services, seeded);
      process.stdout.write(`list page with ${TOKENS.toLocaleString('en')} tokens on ${dialect} (seeded in ${fixed((performance.now() - started) / 1000, 0)} s; p95 of ${SAMPLES}, limit 50, total included)\n`);
      const app = await buildApp({ services: database.services });
      const key = await seeded.apiKey('viewer');
      const get = (query: string) => app.inject({ method: 'GET', url: `/api/v1/tenants/bench/hw-tokens?${query}`, headers: { authorization: `Bearer ${key}` } });
      const next = JSON.parse((await get('sort=-createdAt')).body).nextCursor as string;
      for (const [name, rawQuery] of QUERIES) {
        const query = rawQuery.replace('NEXT', encodeURIComponent(next));
        const times: number[] = [];
        let body: { total: number; totalCapped: boolean; items: unknown[] } | undefined;
        for (let i = 0; i < SAMPLES + 2; i++) {
          const t0 = performance.now();
          const reply = await get(query);
          if (i >= 2) times.push(performance.now() - t0);
          if (reply.statusCode !== 200) throw new Error(`${name}: ${reply.body}`);
          body = JSON.parse(reply.body);
        }
        const total = `${body!.total.toLocaleString('en')}${body!.totalCapped ? '+' : ''}`;
        process.stdout.write(`  ${name.padEnd(28)} p95 ${fixed(percentile(times, 95), 1).padStart(6)} ms  median ${fixed(percentile(times, 50), 1).padStart(6)} ms  rows ${String(body!.items.length).padStart(2)}  total ${total}\n`);
      }
      await app.close();
    } finally {
      await database.drop();
    }
    process.stdout.write('\n');
  }
}

/** TOKENS tokens in 10 batches and 5 vendors, a third assigned to USERS users, some used. */
export async function seedTokens(services: Parameters<typeof insertBatches>[0], seeded: Awaited<ReturnType<typeof seedTenant>>): Promise<void> {
  const users = Array.from({ length: USERS }, (_, i) => userRow(seeded.ctx.tenant.id, `u${String(i).padStart(6, '0')}`));
  await insertBatches(services, 'users', users);
  const secret = crypto.randomBytes(20);
  const base = Date.now() - TOKENS * 1000;
  function* rows(): Generator<TokenRow> {
    for (let i = 0; i < TOKENS; i++) {
      const spec = { ...hotpSpec(`L${String(i).padStart(7, '0')}`, secret), type: i % 4 === 0 ? ('totp' as const) : ('hotp' as const), vendor: `vendor-${i % 5}`, model: `model-${i % 3}` };
      const holder = i % 3 === 0 ? users[i % USERS]! : null;
      const row = newTokenRow(seeded.ctx, spec, { now: base + i * 1000, batchId: `batch-${i % 10}`, holder: holder && { id: holder.id, username: holder.username } });
      row.status = STATUSES[i % STATUSES.length]!;
      row.last_used_at = i % 7 === 0 ? base + i * 1500 : 0;
      yield row;
    }
  }
  // 500 rows of ~37 columns stay under SQLite's 32,766 bound parameters.
  await insertBatches(services, 'hw_tokens', rows(), 500);
}
