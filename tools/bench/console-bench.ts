import { buildConsole, isConsoleBuilt } from '../../test/e2e/global-setup.js';
import { createOperator } from '../../src/server/modules/operators/operator-admin.js';
import type { Dialect } from '../../src/server/storage/db.js';
import { benchDatabase, pinPostgres, refreshStatistics, SERVER_CORE, startService, stop, type BenchDatabase } from './bench-env.js';
import { ROUTES, signInSample, type Route, type SignInSample } from './console-sample.js';
import { seedInventory } from './list-inventory.js';
import { seedTenant, type SeededTenant } from './seed.js';
import { fixed, median, percentile } from './stats.js';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_CONSOLE_SAMPLES ?? 10);
const OPERATOR = { username: 'sofia.officer', password: 'bench-officer-password-2026' };

/**
 * Sign-in to a rendered first page of 50 HW tokens (goal: under 1 s), in
 * Debian's Chromium against `hwtokens serve` on a tenant of TOKENS tokens:
 * the server pinned to the server core, the browser (started from this
 * process) on the load core. A fresh browser per sample; the first sample
 * after the server starts is shown apart (cold caches) and not counted.
 */
export async function benchConsole(withPostgres: boolean): Promise<void> {
  if (!isConsoleBuilt()) {
    process.stdout.write('console not built: building dist/console\n');
    buildConsole();
  }
  for (const dialect of withPostgres ? (['sqlite', 'postgres'] as Dialect[]) : (['sqlite'] as Dialect[])) {
    const database = await benchDatabase(dialect);
    try {
      const seeded = await seedTenant(database.services);
      const started = performance.now();
      await seedInventory(database.services, seeded, TOKENS);
      await addOperator(database, seeded);
      await refreshStatistics(database);
      process.stdout.write(`sign-in to a rendered first page of 50, ${TOKENS.toLocaleString('en')} tokens on ${dialect} (seeded in ${fixed((performance.now() - started) / 1000, 0)} s; ${SAMPLES} samples, fresh browser each; ms from pressing Sign in)\n`);
      await measure(database, seeded.slug);
    } finally {
      await database.drop();
    }
    process.stdout.write('\n');
  }
}

async function addOperator(database: BenchDatabase, seeded: SeededTenant): Promise<void> {
  await createOperator(database.services, 'bench', { ...OPERATOR, displayName: 'Sofia Officer' }, [{ tenantId: seeded.ctx.tenant.id, role: 'security-officer' }]);
}

async function measure(database: BenchDatabase, tenant: string): Promise<void> {
  if (database.dialect === 'postgres') pinPostgres(SERVER_CORE);
  const { url, child } = await startService(database);
  try {
    const cold = await signInSample(url, tenant, OPERATOR, 'procedure');
    process.stdout.write(`  first sign-in after start (cold, not counted): ${fixed(cold.total, 0)} ms\n`);
    for (const route of Object.keys(ROUTES) as Route[]) {
      const samples: SignInSample[] = [];
      for (let i = 0; i < SAMPLES; i++) samples.push(await signInSample(url, tenant, OPERATOR, route));
      report(route, samples);
    }
  } finally {
    await stop(child);
    if (database.dialect === 'postgres') pinPostgres('0-1');
  }
}

function report(route: Route, samples: SignInSample[]): void {
  const m = (pick: (s: SignInSample) => number) => fixed(median(samples.map(pick)), 0);
  const totals = samples.map((s) => s.total);
  const stats = samples.flatMap((s) => (s.stats ? [s.stats] : []));
  process.stdout.write(`  ${ROUTES[route]}\n`);
  process.stdout.write(`    median ${fixed(median(totals), 0)} ms  p95 ${fixed(percentile(totals, 95), 0)} ms  runs ${totals.map((t) => Math.round(t)).join('/')}\n`);
  process.stdout.write(`    medians: signed in ${m((s) => s.loginDone)}, list sent ${m((s) => s.listSent)}, list answered ${m((s) => s.listDone)} (took ${m((s) => s.listDone - s.listSent)}), rows painted ${m((s) => s.total - s.listDone)} later` +
    (stats.length > 0 ? `; Overview's stats sent ${fixed(median(stats.map((s) => s.sent)), 0)}, ended ${fixed(median(stats.map((s) => s.ended)), 0)}` +
      ` (${stats.filter((s) => s.answered).length} answered, ${stats.filter((s) => !s.answered).length} cancelled on leaving the Overview)` : '') + '\n');
}
