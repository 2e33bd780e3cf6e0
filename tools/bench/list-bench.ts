import { buildApp } from '../../src/server/app.js';
import type { Dialect } from '../../src/server/storage/db.js';
import { benchDatabase, refreshStatistics, type BenchDatabase } from './bench-env.js';
import { planInventory, seedInventory, type Inventory } from './list-inventory.js';
import { benchTenant, seedTenant, type SeededTenant } from './seed.js';
import { fixed, percentile } from './stats.js';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 1_000_000);
/** Another tenant in the same database, as in any deployment with more than one. */
const NEIGHBOUR_TOKENS = Math.round(TOKENS / 20);
const SAMPLES = 20;
/**
 * BENCH_KEEP=1 keeps the seeded databases (seeding a million tokens takes
 * minutes) and reuses them on the next run, migrated to the latest schema.
 */
const KEEP = process.env.BENCH_KEEP === '1';
/** BENCH_LIST_CASES=regexp measures only the cases whose name it matches. */
const ONLY = process.env.BENCH_LIST_CASES ? new RegExp(process.env.BENCH_LIST_CASES) : undefined;

/**
 * Each filter of SPEC §6 in the API's default order (serial) and, where the
 * data makes it hard, the console's (newest first); each sort; common and rare
 * values; some combinations the help desk uses. Total included.
 */
function cases(inventory: Inventory): [string, string][] {
  const typical = inventory.batches.filter((b) => b.size >= 2_000 && b.size <= 10_000);
  const batch = (typical[Math.floor(typical.length / 2)] ?? inventory.batches[0]!).id;
  const largest = inventory.batches.reduce((a, b) => (b.size > a.size ? b : a)).id;
  return [
    ['first page (serial)', ''],
    ['serial prefix, 1,000', 'serial=ftc20012'],
    ['serial prefix, other case', 'serial=Yk5N00'],
    ['status=disabled', 'status=disabled'],
    ['status=compromised', 'status=compromised'],
    ['status active+disabled', 'status=active&status=disabled'],
    ['type=totp', 'type=totp'],
    ['type=yubico', 'type=yubico'],
    ['vendor, common', 'vendor=FEITIAN'],
    ['vendor, rare', 'vendor=protectimus'],
    ['vendor, bought early, newest', 'vendor=thales&sort=-createdAt'],
    ['vendor+model', 'vendor=feitian&model=c100'],
    ['model', 'model=Digipass%20270'],
    ['model, newest', 'model=otp%20display%20card&sort=-createdAt'],
    ['assigned=false, newest', 'assigned=false&sort=-createdAt'],
    ['assigned=true, newest', 'assigned=true&sort=-createdAt'],
    ['user prefix, rare', 'user=maria.garcia'],
    ['user prefix, common', 'user=ma'],
    ['batch', `batch=${batch}`],
    ['batch, large', `batch=${largest}`],
    ['q serial fragment', 'q=0123456'],
    ['q holder', 'q=schmidt'],
    ['q description', 'q=lyon'],
    ['q no match', 'q=nomatch'],
    ['q two letters', 'q=ma'],
    ['sort -serial', 'sort=-serial'],
    ['sort status', 'sort=status'],
    ['sort -status', 'sort=-status'],
    ['sort type', 'sort=type'],
    ['sort -type', 'sort=-type'],
    ['sort createdAt', 'sort=createdAt'],
    ['sort -createdAt', 'sort=-createdAt'],
    ['sort lastUsedAt', 'sort=lastUsedAt'],
    ['sort -lastUsedAt', 'sort=-lastUsedAt'],
    ['sort holder', 'sort=holder'],
    ['sort -holder', 'sort=-holder'],
    ['status+type+assigned', 'status=active&type=hotp&assigned=true&sort=-createdAt'],
    ['vendor in stock, newest', 'vendor=yubico&assigned=false&sort=-createdAt'],
    ['disabled, last used', 'status=disabled&sort=-lastUsedAt'],
    ['active, least used', 'status=active&sort=lastUsedAt'],
    ['user prefix, last used', 'user=maria.garcia&sort=-lastUsedAt'],
    ['batch in stock', `batch=${batch}&assigned=false`],
    ['q holder, active', 'q=schmidt&status=active'],
    ['page 2 (cursor)', 'sort=-createdAt&cursor=NEXT'],
  ];
}

/** List-page latency on a tenant of TOKENS tokens, p95 of SAMPLES requests per case, on each database. */
export async function benchList(withPostgres: boolean): Promise<void> {
  for (const dialect of withPostgres ? (['sqlite', 'postgres'] as Dialect[]) : (['sqlite'] as Dialect[])) {
    const database = await benchDatabase(dialect, KEEP ? `hwt-list-bench-${TOKENS}` : undefined);
    try {
      const started = performance.now();
      const { seeded, inventory, reused } = await inventoryOf(database);
      await refreshStatistics(database);
      const seeding = reused ? 'reused' : `seeded in ${fixed((performance.now() - started) / 1000, 0)} s`;
      process.stdout.write(`list page with ${TOKENS.toLocaleString('en')} tokens on ${dialect} (${seeding}; p95 of ${SAMPLES}, limit 50, total included)\n`);
      await measure(database, seeded, cases(inventory));
    } finally {
      await database.drop();
    }
    process.stdout.write('\n');
  }
}

/** The bench tenant of a kept database, or a new one seeded with its inventory and a neighbour. */
async function inventoryOf(database: BenchDatabase): Promise<{ seeded: SeededTenant; inventory: Inventory; reused: boolean }> {
  const { db } = database.services.storage;
  const tenant = await db.selectFrom('tenants').select('id').where('slug', '=', 'bench').executeTakeFirst();
  if (tenant) {
    const { n } = await db.selectFrom('hw_tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.id).executeTakeFirstOrThrow();
    if (Number(n) !== TOKENS) throw new Error(`the kept database holds ${n} bench tokens, not ${TOKENS}: delete it and run again`);
    return { seeded: benchTenant(database.services, tenant.id, 'bench'), inventory: planInventory(tenant.id, TOKENS), reused: true };
  }
  await seedInventory(database.services, await seedTenant(database.services, 'neighbour'), NEIGHBOUR_TOKENS, 2);
  const seeded = await seedTenant(database.services, 'bench');
  const inventory = await seedInventory(database.services, seeded, TOKENS);
  return { seeded, inventory, reused: false };
}

async function measure(database: BenchDatabase, seeded: SeededTenant, queries: [string, string][]): Promise<void> {
  const app = await buildApp({ services: database.services });
  const key = await seeded.apiKey('viewer');
  const get = (query: string) => app.inject({ method: 'GET', url: `/api/v1/tenants/bench/hw-tokens?${query}`, headers: { authorization: `Bearer ${key}` } });
  const next = JSON.parse((await get('sort=-createdAt')).body).nextCursor as string;
  for (const [name, rawQuery] of queries.filter(([name]) => !ONLY || ONLY.test(name))) {
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
}
