// `npm run soak`: two instances on one PostgreSQL under mixed load (verify,
// list, actions, import) for SOAK_MINUTES (default and at most 10). Prints
// throughput, errors, p99 latency and each instance's resident memory, at the
// start, every minute and at the end. Not part of CI.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminQuery, PG_ADMIN_URL } from '../../test/helpers/databases.js';
import { hotpCode } from '../../test/helpers/otp-codes.js';
import { RemoteClient, startServerProcess, type ServerProcess } from '../../test/helpers/server-process.js';

const MINUTES = Math.min(Math.max(Number(process.env.SOAK_MINUTES ?? 10), 0.1), 10);
const WORKERS = Number(process.env.SOAK_WORKERS ?? 8);
const USERS_PER_WORKER = 20;
const STOCK_PER_WORKER = 10;
const IMPORT_EVERY_MS = 10_000;
const IMPORT_ROWS = 500;
const ADMIN_PASSWORD = 'long-haul-under-load-2026';
const BASE = '/api/v1/tenants/soak';

type Kind = 'verify' | 'list' | 'action' | 'import';
interface Sample { kind: Kind; ms: number; ok: boolean }

class Recorder {
  samples: Sample[] = [];
  errors: string[] = [];
  record(kind: Kind, ms: number, ok: boolean, what?: string) {
    this.samples.push({ kind, ms, ok });
    if (!ok && what && this.errors.length < 20) this.errors.push(what);
  }
  /** Empties the recorder and returns what it held. */
  take(): Sample[] {
    const taken = this.samples;
    this.samples = [];
    return taken;
  }
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
}

function describe(samples: Sample[], seconds: number): string {
  const kinds: Kind[] = ['verify', 'list', 'action', 'import'];
  const all = samples.map((s) => s.ms);
  const errors = samples.filter((s) => !s.ok).length;
  const perKind = kinds.map((kind) => {
    const of = samples.filter((s) => s.kind === kind);
    return `${kind} ${of.length} p99 ${percentile(of.map((s) => s.ms), 99).toFixed(0)} ms`;
  });
  return `${samples.length} requests, ${(samples.length / seconds).toFixed(0)}/s, ${errors} errors, p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms  [${perKind.join('; ')}]`;
}

async function main(): Promise<void> {
  const name = `hwt_soak_${crypto.randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-soak-'));
  await adminQuery(`create database ${name}`);
  const servers: ServerProcess[] = [];
  try {
    const options = {
      databaseUrl: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`), masterKey: crypto.randomBytes(32).toString('base64'),
      dataDir, adminPassword: ADMIN_PASSWORD, env: { HWT_LOG_LEVEL: 'error' },
    };
    servers.push(await startServerProcess(options));
    servers.push(await startServerProcess(options));
    const urls = servers.map((s) => s.baseUrl);
    process.stdout.write(`soak: ${MINUTES} min, ${WORKERS} workers, two instances (${urls.join(', ')}) on PostgreSQL ${name}\n`);

    // Seed through instance A.
    const admin = await RemoteClient.signIn(urls[0]!, 'admin', ADMIN_PASSWORD);
    const must = async (reply: Promise<{ status: number; body: any }>, status: number, what: string) => {
      const r = await reply;
      if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await must(admin.post('/api/v1/tenants', { slug: 'soak', name: 'Soak' }), 201, 'tenant');
    await must(admin.request('PATCH', `${BASE}/settings`, { maxFailures: 1000 }), 200, 'settings');
    const tokenAdminKey = (await must(admin.post(`${BASE}/api-keys`, { name: 'soak-admin', role: 'tenant-admin' }), 201, 'key')).secret as string;
    const verifierKey = (await must(admin.post(`${BASE}/api-keys`, { name: 'soak-verifier', role: 'verifier' }), 201, 'key')).secret as string;
    const clients = urls.map((url) => ({ admin: new RemoteClient(url, tokenAdminKey), verifier: new RemoteClient(url, verifierKey) }));
    const seeder = clients[0]!.admin;

    interface Holder { username: string; secret: Buffer; counter: number }
    interface Worker { holders: Holder[]; stock: string[]; spare: string }
    const workers: Worker[] = [];
    process.stdout.write('seeding…\n');
    for (let w = 0; w < WORKERS; w++) {
      const worker: Worker = { holders: [], stock: [], spare: '' };
      for (let u = 0; u < USERS_PER_WORKER; u++) {
        const username = `soak-${w}-${u}`;
        const secret = crypto.randomBytes(20);
        const user = await must(seeder.post(`${BASE}/users`, { username }), 201, 'user');
        const token = await must(seeder.post(`${BASE}/hw-tokens`, { serial: `SOAK-H-${w}-${u}`, type: 'hotp', secretHex: secret.toString('hex') }), 201, 'token');
        await must(seeder.post(`${BASE}/hw-tokens/${token.id}/assign`, { userId: user.id }), 200, 'assign');
        worker.holders.push({ username, secret, counter: 0 });
      }
      worker.spare = (await must(seeder.post(`${BASE}/users`, { username: `soak-spare-${w}` }), 201, 'spare')).id;
      for (let s = 0; s < STOCK_PER_WORKER; s++) {
        worker.stock.push((await must(seeder.post(`${BASE}/hw-tokens`, { serial: `SOAK-S-${w}-${s}`, type: 'totp', secretHex: crypto.randomBytes(20).toString('hex') }), 201, 'stock')).id);
      }
      workers.push(worker);
    }

    const recorder = new Recorder();
    let running = true;
    let turn = 0;
    const pick = () => clients[turn++ % clients.length]!;
    const timed = async (kind: Kind, run: () => Promise<{ ok: boolean; what?: string }>) => {
      const t0 = performance.now();
      let result: { ok: boolean; what?: string };
      try {
        result = await run();
      } catch (error) {
        result = { ok: false, what: `${kind}: ${(error as Error).message}` };
      }
      recorder.record(kind, performance.now() - t0, result.ok, result.what);
    };

    const LIST_QUERIES = ['', '?sort=-createdAt', '?status=active&limit=100', '?assigned=false', '?serial=SOAK-H-1', '?q=soak', '?type=totp&sort=serial', '?user=soak-2', '?sort=-lastUsedAt&limit=20'];
    const loops = workers.map(async (worker, w) => {
      let action = 0;
      for (let i = 0; running; i++) {
        const roll = (i * 7 + w) % 20;
        if (roll < 11) {
          const holder = worker.holders[i % worker.holders.length]!;
          const wrong = roll === 0;
          await timed('verify', async () => {
            const otp = wrong ? '000000' : hotpCode(holder.secret, holder.counter);
            const reply = await pick().verifier.post(`${BASE}/verify`, { username: holder.username, otp });
            if (reply.status !== 200) return { ok: false, what: `verify ${reply.status} ${JSON.stringify(reply.body)}` };
            if (wrong) return { ok: true };
            if (reply.body.accepted !== true) return { ok: false, what: `right OTP refused: ${JSON.stringify(reply.body)}` };
            holder.counter++;
            return { ok: true };
          });
        } else if (roll < 16) {
          await timed('list', async () => {
            const reply = await pick().admin.get(`${BASE}/hw-tokens${LIST_QUERIES[i % LIST_QUERIES.length]}`);
            return { ok: reply.status === 200, what: `list ${reply.status}` };
          });
        } else {
          const token = worker.stock[action % worker.stock.length]!;
          const step = ['disable', 'enable', 'assign', 'unassign'][Math.floor(action / worker.stock.length) % 4]!;
          action++;
          await timed('action', async () => {
            const reply = await pick().admin.post(`${BASE}/hw-tokens/${token}/${step}`, step === 'assign' ? { userId: worker.spare } : undefined);
            return { ok: reply.status === 200, what: `${step} ${reply.status} ${JSON.stringify(reply.body)}` };
          });
        }
      }
    });
    let imports = 0;
    const importer = (async () => {
      while (running) {
        const due = Date.now() + IMPORT_EVERY_MS;
        while (running && Date.now() < due) await new Promise((resolve) => setTimeout(resolve, 200));
        if (!running) break;
        const n = imports++;
        const rows = Array.from({ length: IMPORT_ROWS }, (_, r) => `SOAK-I-${n}-${r},${crypto.randomBytes(20).toString('hex')},hotp`);
        await timed('import', async () => {
          const form = new FormData();
          form.append('file', new Blob([`serial,secret_hex,type\n${rows.join('\n')}\n`]), `soak-${n}.csv`);
          const reply = await fetch(`${urls[n % urls.length]}${BASE}/hw-tokens/import`, { method: 'POST', headers: { authorization: `Bearer ${tokenAdminKey}` }, body: form });
          const text = await reply.text();
          return { ok: reply.status === 201, what: `import ${reply.status} ${text.slice(0, 200)}` };
        });
      }
    })();

    const rss = () => servers.map((s) => `${rssMiB(s.pid).toFixed(0)} MiB`).join(' / ');
    const rssStart = servers.map((s) => rssMiB(s.pid));
    const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
    process.stdout.write(`start: resident memory A / B ${rss()}; machine load ${load()} on ${os.cpus().length} CPUs\n`);
    const all: Sample[] = [];
    const started = Date.now();
    const end = started + MINUTES * 60_000;
    let minute = 0;
    while (Date.now() < end) {
      const wait = Math.min(60_000, end - Date.now());
      await new Promise((resolve) => setTimeout(resolve, wait));
      const samples = recorder.take();
      all.push(...samples);
      minute++;
      process.stdout.write(`minute ${minute}: ${describe(samples, wait / 1000)}; RSS A / B ${rss()}\n`);
    }
    running = false;
    await Promise.all([...loops, importer]);
    all.push(...recorder.take());
    const seconds = (Date.now() - started) / 1000;
    const rssEnd = servers.map((s) => rssMiB(s.pid));
    process.stdout.write(`\nend, over ${seconds.toFixed(0)} s: ${describe(all, seconds)}\n`);
    process.stdout.write(`imports: ${imports} files of ${IMPORT_ROWS} tokens; machine load ${load()}\n`);
    process.stdout.write(`resident memory A: ${rssStart[0]!.toFixed(0)} → ${rssEnd[0]!.toFixed(0)} MiB; B: ${rssStart[1]!.toFixed(0)} → ${rssEnd[1]!.toFixed(0)} MiB\n`);
    if (recorder.errors.length) process.stdout.write(`first errors:\n  ${recorder.errors.join('\n  ')}\n`);
    process.exitCode = all.some((s) => !s.ok) ? 1 : 0;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await adminQuery(`drop database if exists ${name} with (force)`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
