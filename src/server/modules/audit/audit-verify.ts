import type { Storage } from '../../storage/db.js';
import { AuditRepository } from './audit-repository.js';
import { eventHash, genesisHash } from './audit-chain.js';

export interface ChainReport {
  tenantId: string;
  checked: number;
  head: { seq: number; hash: string };
  /** The first event whose link or content does not check, if any. */
  broken?: { seq: number; reason: string };
}

const PAGE = 1000;

/** Walks a tenant's audit chain from its genesis and reports the first broken link (SPEC.md §8). */
export async function verifyAuditChain(storage: Storage, tenantId: string): Promise<ChainReport> {
  const repo = new AuditRepository(storage.db, storage.dialect, tenantId);
  const head = await repo.head();
  let prevHash = genesisHash(tenantId);
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await repo.chainPage(expectedSeq - 1, PAGE);
    for (const row of rows) {
      const report = (reason: string): ChainReport => ({ tenantId, checked, head, broken: { seq: row.seq, reason } });
      if (row.seq !== expectedSeq) return { tenantId, checked, head, broken: { seq: expectedSeq, reason: `event ${expectedSeq} is missing` } };
      if (row.prev_hash !== prevHash) return report('its previous-hash does not match the event before it');
      const fields = {
        tenantId, seq: row.seq, at: row.at, actor: row.actor, action: row.action, outcome: row.outcome, tokenId: row.token_id,
        serial: row.serial, userId: row.user_id, username: row.username, reason: row.reason, detail: row.detail,
      };
      if (eventHash(prevHash, fields) !== row.hash) return report('its content does not match its hash (altered)');
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < PAGE) break;
  }
  const headProblem = headMismatch(head, checked, prevHash);
  return headProblem ? { tenantId, checked, head, broken: headProblem } : { tenantId, checked, head };
}

/** What is wrong between an intact chain of `checked` events ending at `lastHash` and the head, if anything. */
function headMismatch(head: { seq: number; hash: string }, checked: number, lastHash: string): ChainReport['broken'] {
  if (head.seq > checked) return { seq: checked + 1, reason: `the head says ${head.seq} events but the chain ends at ${checked} (truncated)` };
  if (head.seq < checked) return { seq: head.seq + 1, reason: `the chain goes on past the head (${checked} events, the head says ${head.seq}): events were added outside the service` };
  if (head.hash !== lastHash) return { seq: checked, reason: "the head's hash is not the last event's (the head was altered)" };
  return undefined;
}
