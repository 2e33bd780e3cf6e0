import os from 'node:os';
import { pinSelfToLoadCore } from './bench-env.js';
import { benchVerifyRounds, RUNS } from './verify-bench.js';
import { fixed } from './stats.js';

/**
 * npm run bench: ratios measured in one run on this machine. The server is
 * pinned to core 0 and the load generator (and the console's browser) to core 1.
 * BENCH_ONLY=verify,list,reset,import,console picks parts; BENCH_TOKENS sets
 * the list size (default 1,000,000); BENCH_KEEP=1 keeps and reuses the list's
 * seeded databases; BENCH_PG=0 leaves PostgreSQL out.
 */
const only = new Set((process.env.BENCH_ONLY ?? 'verify,list,reset,import,console').split(','));
const withPostgres = process.env.BENCH_PG !== '0';

pinSelfToLoadCore();
process.stdout.write(`hwtokens benchmarks on ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.cpus().length} cores, Node ${process.version}\n\n`);

if (only.has('verify')) {
  process.stdout.write(`verify throughput (64 connections; medians of ${RUNS} interleaved rounds, ratios taken within each round)\n`);
  for (const r of await benchVerifyRounds(withPostgres ? ['sqlite', 'postgres'] : ['sqlite'])) {
    process.stdout.write(`${r.name.padEnd(22)} ${fixed(r.rps, 0).padStart(7)} req/s  ratio ${fixed(r.ratio)}  core ${fixed(r.coreMicros, 0)} µs/req (ratio ${fixed(r.coreRatio)})` +
      `  p99 ${r.p99} ms  errors ${r.errors}  non-2xx ${r.non2xx}  accepted ${r.accepted}  runs ${r.samples.join('/')}\n`);
  }
  process.stdout.write('\n');
}

if (only.has('list')) {
  const { benchList } = await import('./list-bench.js');
  await benchList(withPostgres);
}

if (only.has('reset')) {
  const { benchReset } = await import('./reset-bench.js');
  await benchReset();
}

if (only.has('import')) {
  const { benchImport } = await import('./import-bench.js');
  await benchImport(withPostgres);
}

if (only.has('console')) {
  const { benchConsole } = await import('./console-bench.js');
  await benchConsole(withPostgres);
}
