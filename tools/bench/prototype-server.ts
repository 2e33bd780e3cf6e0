import crypto from 'node:crypto';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { VerifyBody, VerifyResult } from '../../src/contract/tokens.js';

/**
 * The reference that the verification goals were set against: a minimal
 * prototype with one SELECT, ten HMACs and one compare-and-set UPDATE per
 * request, and no audit, no authentication, no group commit. It serves the
 * same route and schema as the bare route, on the table that the benchmark
 * seeds (see prototypeTarget in verify-bench.ts): on SQLite when
 * PROTOTYPE_SQLITE names the file, else on PostgreSQL at HWT_DATABASE_URL.
 */
const LOOK_AHEAD = 10;

interface Row { secret: Buffer; counter: number; version: number }
interface Store {
  find(username: string): Promise<Row | undefined>;
  /** True when the row was still at `version`. */
  advance(username: string, version: number, counter: number): Promise<boolean>;
}

function sqliteStore(file: string): Store {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const select = db.prepare('select secret, counter, version from prototype_tokens where username = ?');
  const update = db.prepare('update prototype_tokens set counter = ?, version = version + 1 where username = ? and version = ?');
  return {
    find: async (username) => select.get(username) as Row | undefined,
    advance: async (username, version, counter) => update.run(counter, username, version).changes === 1,
  };
}

function postgresStore(url: string): Store {
  pg.types.setTypeParser(20, Number);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return {
    async find(username) {
      const result = await pool.query<Row>({ name: 'find', text: 'select secret, counter, version from prototype_tokens where username = $1', values: [username] });
      return result.rows[0];
    },
    async advance(username, version, counter) {
      const result = await pool.query({ name: 'advance', text: 'update prototype_tokens set counter = $1, version = version + 1 where username = $2 and version = $3', values: [counter, username, version] });
      return result.rowCount === 1;
    },
  };
}

function hotp(secret: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac('sha1', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1e6).padStart(6, '0');
}

/** The counter after the one whose OTP matches, or undefined: all ten HMACs, every time. */
function matchingCounter(row: Row, otp: string): number | undefined {
  const given = Buffer.from(otp);
  let next: number | undefined;
  for (let i = 0; i < LOOK_AHEAD; i++) {
    const code = Buffer.from(hotp(row.secret, row.counter + i));
    if (given.length === code.length && crypto.timingSafeEqual(code, given) && next === undefined) next = row.counter + i + 1;
  }
  return next;
}

const store = process.env.PROTOTYPE_SQLITE ? sqliteStore(process.env.PROTOTYPE_SQLITE) : postgresStore(process.env.HWT_DATABASE_URL!);
const app = Fastify({ logger: false });
app.post('/api/v1/tenants/:tenant/verify', { schema: { body: VerifyBody, response: { 200: VerifyResult } } }, async (request) => {
  const { username, otp } = request.body as { username?: string; otp: string };
  const row = username === undefined ? undefined : await store.find(username);
  if (!row) return { accepted: false, reason: 'no_active_token' } as const;
  const counter = matchingCounter(row, otp);
  if (counter === undefined || !(await store.advance(username!, row.version, counter))) return { accepted: false, reason: 'rejected' } as const;
  return { accepted: true, tokenId: username!, serial: username! };
});
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.HWT_PORT) });
