import crypto from 'node:crypto';
import type { Db } from '../../storage/db.js';
import { randomToken, sha256Hex } from '../../lib/ids.js';

/** Sessions end after this long without a request, and in any case after the absolute lifetime. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** A session's expiry moves forward at most this often: not a write on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface Session {
  idHash: string;
  operatorId: string;
  csrfToken: string;
  expiresAt: number;
}

/**
 * Operator sessions, held in the database so that every instance accepts
 * them and a logout ends them everywhere at once. The cookie carries a random
 * id; the database keeps only its hash.
 */
export class SessionStore {
  constructor(private readonly db: Db) {}

  async create(operatorId: string, now: number): Promise<{ cookieValue: string; session: Session }> {
    const cookieValue = randomToken(32);
    const session: Session = { idHash: sha256Hex(cookieValue), operatorId, csrfToken: randomToken(24), expiresAt: now + SESSION_IDLE_MS };
    await this.db.insertInto('sessions').values({
      id_hash: session.idHash, operator_id: operatorId, csrf_token: session.csrfToken,
      created_at: now, last_seen_at: now, expires_at: session.expiresAt,
    }).execute();
    return { cookieValue, session };
  }

  async resolve(cookieValue: string, now: number): Promise<Session | undefined> {
    const idHash = sha256Hex(cookieValue);
    const row = await this.db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (!row || row.expires_at <= now) return undefined;
    let expiresAt = row.expires_at;
    if (now - row.last_seen_at >= TOUCH_EVERY_MS) {
      expiresAt = Math.min(row.created_at + SESSION_ABSOLUTE_MS, now + SESSION_IDLE_MS);
      await this.db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id_hash', '=', idHash).execute();
    }
    return { idHash, operatorId: row.operator_id, csrfToken: row.csrf_token, expiresAt };
  }

  async destroy(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async destroyAllOf(operatorId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('operator_id', '=', operatorId).execute();
  }

  async purgeExpired(now: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  }
}

export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
