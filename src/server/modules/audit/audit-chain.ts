import crypto from 'node:crypto';

/** The fields an event's hash covers, in a fixed order (tamper evidence, SPEC.md §8). */
export interface ChainedFields {
  tenantId: string;
  seq: number;
  at: number;
  actor: string;
  action: string;
  outcome: string;
  tokenId: string | null;
  serial: string | null;
  userId: string | null;
  username: string | null;
  reason: string | null;
  detail: string | null;
}

export function genesisHash(tenantId: string): string {
  return crypto.createHash('sha256').update(`hwtokens-audit-genesis:${tenantId}`).digest('hex');
}

export function eventHash(prevHash: string, event: ChainedFields): string {
  const canonical = JSON.stringify([
    event.tenantId, event.seq, event.at, event.actor, event.action, event.outcome,
    event.tokenId, event.serial, event.userId, event.username, event.reason, event.detail,
  ]);
  // One-shot hash: half the cost of a Hash object for an input this small, on every audited change.
  return crypto.hash('sha256', `${prevHash}\n${canonical}`, 'hex');
}
