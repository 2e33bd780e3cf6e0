import crypto from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { adminQuery, PG_ADMIN_URL } from '../../test/helpers/databases.js';
import type { Services } from '../../src/server/lib/context.js';
import { Metrics } from '../../src/server/lib/metrics.js';
import { GroupCommit } from '../../src/server/modules/audit/group-commit.js';
import { systemClock } from '../../src/server/lib/time.js';
import { Keyring } from '../../src/server/modules/secrets/keyring.js';
import { openStorage, type Dialect } from '../../src/server/storage/db.js';
import { migrateToLatest } from '../../src/server/storage/migrate.js';

export const SERVER_CORE = '0';
export const LOAD_CORE = '1';

export interface BenchDatabase {
  dialect: Dialect;
  env: Record<string, string>;
  services: Services;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database of `dialect` with a known master key. With `keptAs`
 * the database has that name (a folder in the temporary directory for SQLite)
 * and outlives the run: it is opened again, migrated to the latest schema, and
 * `drop` only closes it.
 */
export async function benchDatabase(dialect: Dialect, keptAs?: string): Promise<BenchDatabase> {
  const dataDir = keptAs ? path.join(os.tmpdir(), keptAs) : fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-bench-'));
  const masterKey = crypto.randomBytes(32).toString('base64');
  let url: string | undefined;
  let name: string | undefined;
  if (dialect === 'postgres') {
    name = keptAs?.replace(/-/g, '_') ?? `hwt_bench_${crypto.randomBytes(4).toString('hex')}`;
    if (!keptAs || !(await databaseExists(name))) await adminQuery(`create database ${name}`);
    url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  }
  const storage = openStorage({ databaseUrl: url, dataDir, poolSize: 10 });
  await migrateToLatest(storage);
  const services: Services = { storage, keyring: Keyring.fromKeys([Buffer.from(masterKey, 'base64')]), clock: systemClock, metrics: new Metrics(), groupCommit: new GroupCommit(storage) };
  const env: Record<string, string> = { HWT_DATA_DIR: dataDir, HWT_MASTER_KEY: masterKey, HWT_LOG_LEVEL: 'warn', HWT_ADMIN_PASSWORD: 'bench-superuser-secret-2026' };
  if (url) env.HWT_DATABASE_URL = url;
  return {
    dialect, env, services,
    async drop() {
      await storage.close();
      if (keptAs) return;
      if (name) await adminQuery(`drop database if exists ${name} with (force)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

/**
 * Planner statistics after a bulk load, as autovacuum (PostgreSQL: it vacuums
 * an insert-mostly table too, which lets index-only scans skip the heap) or
 * `optimize` (SQLite) would gather them.
 */
export async function refreshStatistics(database: BenchDatabase): Promise<void> {
  await sql.raw(database.dialect === 'postgres' ? 'vacuum analyze' : 'pragma optimize').execute(database.services.storage.db);
}

/** Starts a script pinned to the server core; resolves with its port once /healthz answers. */
export async function startPinned(script: string[], env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  // BENCH_PROFILE=DIR writes the server's CPU profile there (chrome://inspect or speedscope read it).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn('taskset', ['-c', SERVER_CORE, process.execPath, ...profile, '--import', 'tsx', ...script], {
    env: { ...process.env, ...env, HWT_PORT: String(port), HWT_HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${script.join(' ')} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${script.join(' ')} did not start`);
}

/** `hwtokens serve` on `database`, pinned to the server core. */
export function startService(database: BenchDatabase): Promise<{ url: string; child: ChildProcess }> {
  return startPinned(['src/server/cli/main.ts', 'serve'], database.env);
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * Time the server's core spent working (user, system and interrupts; not
 * idle, and not time taken by other guests of the host), in microseconds from
 * /proc/stat. Per request it is the cost of a request on that core, the
 * database's included when it is pinned there; unlike a rate it does not fall
 * when the host is busy.
 */
export function serverCoreBusyMicros(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith(`cpu${SERVER_CORE} `));
  if (!line) throw new Error(`cpu${SERVER_CORE} is not in /proc/stat`);
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user! + nice! + system! + irq! + softirq!) * 1e6) / TICKS_PER_SECOND;
}

/** USER_HZ, the unit of /proc/stat: 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** Pins this process (the load generator) to the other core. */
export function pinSelfToLoadCore(): void {
  execFileSync('taskset', ['-pc', LOAD_CORE, String(process.pid)], { stdio: 'ignore' });
}

/** Pins the PostgreSQL server processes to `cores` (the server's core while measuring). */
export function pinPostgres(cores: string): void {
  const pids = execFileSync('pgrep', ['-f', 'postgres'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const pid of pids) {
    try {
      execFileSync('taskset', ['-apc', cores, pid], { stdio: 'ignore' });
    } catch {
      // a process that ended meanwhile
    }
  }
}
