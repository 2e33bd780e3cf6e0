import { hotp } from '../../src/server/modules/otp/index.js';
import { newTokenRow } from '../../src/server/modules/tokens/token-factory.js';
import { benchDatabase, startService, stop } from './bench-env.js';
import { hotpSpec, insertBatches, seedTenant } from './seed.js';
import { fixed, median, percentile } from './stats.js';

const WINDOW = 10_000;
const SAMPLES = 30;
/** Resets run first and not counted: the first requests compile the code they run. */
const WARM_UP = 10;

/**
 * POST …/reset with the two OTPs at the far end of a 10,000-counter sync
 * window (the worst case), on SQLite, to a server process of its own pinned
 * to the server core, as the verify benchmark's: what ran before in this
 * process (the load generator) does not weigh on it.
 */
export async function benchReset(): Promise<void> {
  const database = await benchDatabase('sqlite');
  try {
    const seeded = await seedTenant(database.services);
    await database.services.storage.db.updateTable('tenants').set({ settings: JSON.stringify({ hotpSyncWindow: WINDOW }) }).execute();
    const secret = Buffer.from('12345678901234567890');
    const rows = Array.from({ length: WARM_UP + SAMPLES }, (_, i) => newTokenRow(seeded.ctx, hotpSpec(`R${i}`, secret), { now: Date.now() }));
    await insertBatches(database.services, 'hw_tokens', rows);
    const key = await seeded.apiKey('tenant-admin');
    const { url, child } = await startService(database);
    const params = { algorithm: 'SHA1', digits: 6 } as const;
    // otp1 at counter WINDOW-2 and otp2 at WINDOW-1: the last pair the window holds.
    const body = JSON.stringify({ otp1: hotp(secret, WINDOW - 2, params), otp2: hotp(secret, WINDOW - 1, params) });
    const times: number[] = [];
    try {
      for (const [i, row] of rows.entries()) {
        const t0 = performance.now();
        const reply = await fetch(`${url}/api/v1/tenants/bench/hw-tokens/${row.id}/reset`, {
          method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body,
        });
        const text = await reply.text();
        if (i >= WARM_UP) times.push(performance.now() - t0);
        if (reply.status !== 200) throw new Error(`reset failed: ${text}`);
      }
    } finally {
      await stop(child);
    }
    process.stdout.write(`HOTP reset over a ${WINDOW.toLocaleString('en')}-counter window, match at the end (whole HTTP request to the server process, SQLite)\n`);
    process.stdout.write(`  median ${fixed(median(times), 1)} ms  p95 ${fixed(percentile(times, 95), 1)} ms  (${SAMPLES} resets)\n\n`);
  } finally {
    await database.drop();
  }
}
