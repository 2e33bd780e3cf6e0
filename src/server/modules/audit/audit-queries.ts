import type { AuditEvent, AuditPage, AuditQuery } from '../../../contract/directory.js';
import { AppError } from '../../lib/app-error.js';
import type { TenantContext } from '../../lib/context.js';
import { looksLikeId } from '../../lib/ids.js';
import { iso } from '../../lib/time.js';
import { OperatorRepository } from '../operators/operator-repository.js';
import { AuditRepository, type AuditFilter, type AuditRow } from './audit-repository.js';

export const auditEventJson = (row: AuditRow): AuditEvent => ({
  id: row.id, seq: row.seq, at: iso(row.at), actor: row.actor, action: row.action, outcome: row.outcome,
  tokenId: row.token_id, serial: row.serial, userId: row.user_id, username: row.username, reason: row.reason,
  detail: row.detail, hash: row.hash, prevHash: row.prev_hash,
});

/** Reading the audit trail: newest first, keyset-paged by sequence number. */
export class AuditQueries {
  constructor(private readonly ctx: TenantContext) {}

  /** An operator's name as events record it when `actor` names one in another case; else `actor` itself (an API key, 'cli'). */
  private async actorAsRecorded(actor: string): Promise<string> {
    return (await new OperatorRepository(this.ctx.storage.db).findByUsername(actor))?.username ?? actor;
  }

  async list(query: AuditQuery & { tokenId?: string }): Promise<AuditPage> {
    const repo = new AuditRepository(this.ctx.storage.db, this.ctx.storage.dialect, this.ctx.tenant.id);
    const limit = query.limit ?? 50;
    const filter: AuditFilter = {
      // Actions are lower case; an operator is named as events record it, whatever the case typed (as at sign-in).
      action: query.action?.toLowerCase(), actor: query.actor && await this.actorAsRecorded(query.actor), outcome: query.outcome, tokenId: query.tokenId,
      from: query.from ? instant(query.from, 'from') : undefined, to: query.to ? instant(query.to, 'to') : undefined,
      beforeSeq: query.cursor ? parseCursor(query.cursor) : undefined,
    };
    // token and user take an id or a serial / username.
    if (query.token) Object.assign(filter, looksLikeId(query.token) ? { tokenId: query.token } : { serial: query.token });
    if (query.user) Object.assign(filter, looksLikeId(query.user) ? { userId: query.user } : { username: query.user });
    const [rows, head] = await Promise.all([repo.list(filter, limit + 1), repo.head()]);
    const page = rows.slice(0, limit);
    return {
      items: page.map(auditEventJson),
      nextCursor: rows.length > limit ? String(page.at(-1)!.seq) : null,
      head,
    };
  }
}

/**
 * An RFC 3339 date-time in epoch milliseconds. The schema admits a leap
 * second (23:59:60), which Date.parse does not read: it is the instant after :59.
 */
function instant(text: string, field: string): number {
  const leap = /:60(?=(\.\d+)?([zZ]|[+-]\d{2}:\d{2})$)/;
  const ms = leap.test(text) ? Date.parse(text.replace(leap, ':59')) + 1000 : Date.parse(text);
  if (!Number.isSafeInteger(ms)) throw new AppError('VALIDATION_FAILED', `${field} is not a date-time that can be read.`);
  return ms;
}

function parseCursor(cursor: string): number {
  const seq = Number(cursor);
  if (!Number.isSafeInteger(seq) || seq < 0) throw new AppError('VALIDATION_FAILED', 'cursor is not valid.');
  return seq;
}
