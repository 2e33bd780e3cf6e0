import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const BIN = process.env.HWT_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const OS_USER = 'postgres';

/** Why a private PostgreSQL cannot be started here, or undefined when it can. */
export function privatePostgresUnavailable(): string | undefined {
  if (!fs.existsSync(path.join(BIN, 'initdb'))) return `no ${BIN}/initdb (set HWT_PG_BIN)`;
  if (process.getuid?.() !== 0) return 'not root (initdb runs as the postgres OS user through runuser)';
  try {
    execFileSync('id', ['-u', OS_USER], { stdio: 'ignore' });
  } catch {
    return `no OS user ${OS_USER}`;
  }
  return undefined;
}

export interface PrivatePostgres {
  port: number;
  /** postgres://… of a database `name` on this server. */
  url(name: string): string;
  createDatabase(name: string): Promise<void>;
  start(): void;
  /** pg_ctl stop -m immediate: the server goes away at once, as in a crash. */
  crash(): void;
  destroy(): void;
}

/**
 * A PostgreSQL 15 of this test's own (initdb in a temporary folder, a free
 * port, its socket in that folder), that the test may stop and start at will
 * without touching the machine's shared server.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-private-pg-'));
  const uid = Number(execFileSync('id', ['-u', OS_USER]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', OS_USER]).toString().trim());
  fs.chownSync(dir, uid, gid);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asPostgres = (command: string, args: string[]) =>
    execFileSync('runuser', ['-u', OS_USER, '--', path.join(BIN, command), ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () => { asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']); };
  const stop = (mode: 'immediate' | 'fast') => { asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']); };
  start();
  const url = (name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  return {
    port, url, start,
    crash: () => stop('immediate'),
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
    },
    destroy() {
      try {
        stop('immediate');
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
