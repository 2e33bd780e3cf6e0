import { RateLimitedError } from '../../lib/app-error.js';
import type { Services } from '../../lib/context.js';

/** Failed sign-ins allowed per username and per address within the window. */
const MAX_FAILURES = { username: 5, address: 20 };
const WINDOW_MS = 15 * 60 * 1000;

/**
 * Sign-in throttling, counted in the database so that every instance sees
 * the same counts (a fixed window per bucket, updated atomically).
 */
export class LoginThrottle {
  constructor(private readonly services: Services) {}

  async check(username: string, address: string): Promise<void> {
    const now = this.services.clock.now();
    const rows = await this.services.storage.db.selectFrom('rate_limits').selectAll()
      .where('bucket', 'in', [userBucket(username), addressBucket(address)]).execute();
    for (const row of rows) {
      const limit = row.bucket.startsWith('login:user:') ? MAX_FAILURES.username : MAX_FAILURES.address;
      if (row.window_start + WINDOW_MS > now && row.hits >= limit) {
        throw new RateLimitedError('Too many failed sign-ins; wait a few minutes and try again.', Math.ceil((row.window_start + WINDOW_MS - now) / 1000));
      }
    }
  }

  /** A right password clears the username's count (the address keeps its own). */
  async succeed(username: string): Promise<void> {
    await this.services.storage.db.deleteFrom('rate_limits').where('bucket', '=', userBucket(username)).execute();
  }

  async fail(username: string, address: string): Promise<void> {
    const now = this.services.clock.now();
    for (const bucket of [userBucket(username), addressBucket(address)]) {
      await this.services.storage.db.insertInto('rate_limits').values({ bucket, window_start: now, hits: 1 })
        .onConflict((oc) => oc.column('bucket').doUpdateSet((eb) => ({
          // A window that has run out starts again at this failure.
          hits: eb.case().when('rate_limits.window_start', '<=', now - WINDOW_MS).then(1).else(eb('rate_limits.hits', '+', 1)).end(),
          window_start: eb.case().when('rate_limits.window_start', '<=', now - WINDOW_MS).then(now).else(eb.ref('rate_limits.window_start')).end(),
        })))
        .execute();
    }
  }
}

const userBucket = (username: string) => `login:user:${username.toLowerCase()}`;
const addressBucket = (address: string) => `login:addr:${address}`;
