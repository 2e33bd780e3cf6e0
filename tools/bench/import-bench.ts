import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Dialect } from '../../src/server/storage/db.js';
import { PG_ADMIN_URL } from '../../test/helpers/databases.js';
import { writePlainPskc } from '../../test/helpers/large-pskc.js';
import { benchDatabase, startService, stop } from './bench-env.js';
import { seedTenant } from './seed.js';
import { fixed } from './stats.js';

const KEYS = Number(process.env.BENCH_IMPORT_KEYS ?? 100_000);
const PSKC2CSV = '/usr/bin/pskc2csv';
const MB = 1024 * 1024;

/** CPU seconds (user + system) a process has used so far. */
function cpuSecondsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds used so far by each PostgreSQL backend connected to `database` (PostgreSQL runs on this machine). */
async function backendCpuOf(database: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database]);
    return new Map(rows.flatMap(({ pid }) => (fs.existsSync(`/proc/${pid}`) ? [[pid, cpuSecondsOf(pid)] as [number, number]] : [])));
  } finally {
    await client.end();
  }
}

/**
 * From now until the returned function is called: the CPU seconds of the
 * PostgreSQL backends of the database at `databaseUrl` (undefined for SQLite).
 * A backend that started meanwhile counts from zero.
 */
async function meterBackendCpu(databaseUrl: string | undefined): Promise<() => Promise<number | undefined>> {
  const name = databaseUrl?.split('/').pop();
  if (!name) return async () => undefined;
  const before = await backendCpuOf(name);
  return async () => [...(await backendCpuOf(name))].reduce((sum, [backend, cpu]) => sum + cpu - (before.get(backend) ?? 0), 0);
}

/** VmRSS / VmHWM of a process, in bytes. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

interface ImportRun { seconds: number; cpuSeconds: number; databaseCpuSeconds?: number; rssBefore: number; peakRss: number; count: number }

/** One import of `file` through POST …/hw-tokens/import of a `hwtokens serve` process. */
async function importThroughServer(dialect: Dialect, file: string): Promise<ImportRun> {
  const database = await benchDatabase(dialect);
  const seeded = await seedTenant(database.services);
  const apiKey = await seeded.apiKey('token-admin');
  const { url, child } = await startService(database);
  try {
    const pid = child.pid!;
    const headers = { authorization: `Bearer ${apiKey}` };
    // Warm up: the route, the parser and the database connection are loaded before the baseline.
    const warm = new FormData();
    warm.append('file', new Blob(['serial,secret,type\nWARM-1,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,hotp\n']), 'warm.csv');
    const warmed = await fetch(`${url}/api/v1/tenants/${seeded.slug}/hw-tokens/import`, { method: 'POST', headers, body: warm });
    if (warmed.status !== 201) throw new Error(`warm-up import failed: ${await warmed.text()}`);
    const rssBefore = memoryOf(pid).rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, memoryOf(pid).rss);
    }, 20);
    const form = new FormData();
    form.append('format', 'pskc');
    form.append('file', await fs.openAsBlob(file), path.basename(file));
    const databaseCpu = await meterBackendCpu(database.env.HWT_DATABASE_URL);
    const cpuBefore = cpuSecondsOf(pid);
    const t0 = performance.now();
    const reply = await fetch(`${url}/api/v1/tenants/${seeded.slug}/hw-tokens/import`, { method: 'POST', headers, body: form });
    const body = (await reply.json()) as { count?: number; detail?: string };
    const seconds = (performance.now() - t0) / 1000;
    const cpuSeconds = cpuSecondsOf(pid) - cpuBefore;
    const databaseCpuSeconds = await databaseCpu();
    clearInterval(sampler);
    peakRss = Math.max(peakRss, memoryOf(pid).hwm);
    if (reply.status !== 201) throw new Error(`import failed (${reply.status}): ${body.detail}`);
    return { seconds, cpuSeconds, databaseCpuSeconds, rssBefore, peakRss, count: body.count ?? 0 };
  } finally {
    await stop(child);
    await database.drop();
  }
}

function timePskc2csv(file: string): number | undefined {
  if (!fs.existsSync(PSKC2CSV)) return undefined;
  const t0 = performance.now();
  const result = spawnSync(PSKC2CSV, [file], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 16 * MB });
  if (result.status !== 0) throw new Error(`pskc2csv failed: ${result.stderr.toString().slice(0, 500)}`);
  return (performance.now() - t0) / 1000;
}

/**
 * A 100,000-key plain PSKC file imported through the real HTTP route of a
 * server process (SQLite, and PostgreSQL unless `withPostgres` is false):
 * seconds and the server's peak RSS growth; then pskc2csv (python-pskc)
 * merely reading the same file, for scale.
 */
export async function benchImport(withPostgres = true): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-import-bench-'));
  const file = path.join(dir, `bench-${KEYS}.pskcxml`);
  try {
    await writePlainPskc(file, KEYS, { prefix: 'IMP', manufacturer: 'Bench' });
    const size = fs.statSync(file).size;
    process.stdout.write(`seed-file import: ${KEYS.toLocaleString('en')}-key plain PSKC file (${fixed(size / MB, 1)} MiB) through POST …/hw-tokens/import\n`);
    const runs: [string, ImportRun][] = [['SQLite', await importThroughServer('sqlite', file)]];
    if (withPostgres) runs.push(['PostgreSQL', await importThroughServer('postgres', file)]);
    for (const [name, run] of runs) {
      if (run.count !== KEYS) throw new Error(`${name}: imported ${run.count}, not ${KEYS}`);
      const databaseCpu = run.databaseCpuSeconds === undefined ? '' : `, database CPU ${fixed(run.databaseCpuSeconds, 1)} s`;
      process.stdout.write(`  ${`import on ${name}`.padEnd(22)} ${fixed(run.seconds, 2).padStart(6)} s (server CPU ${fixed(run.cpuSeconds, 1)} s${databaseCpu})  server RSS ${fixed(run.rssBefore / MB, 0)} MiB → peak ${fixed(run.peakRss / MB, 0)} MiB (+${fixed((run.peakRss - run.rssBefore) / MB, 0)} MiB)\n`);
    }
    const reference = timePskc2csv(file);
    if (reference === undefined) {
      process.stdout.write(`  pskc2csv not found (${PSKC2CSV}; Debian package pskc-utils): no reference time\n\n`);
      return;
    }
    process.stdout.write(`  ${'pskc2csv (read only)'.padEnd(22)} ${fixed(reference, 2).padStart(6)} s\n`);
    for (const [name, run] of runs) process.stdout.write(`  ratio import on ${name} / pskc2csv: ${fixed(run.seconds / reference)}\n`);
    process.stdout.write('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
