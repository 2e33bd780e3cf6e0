import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

const REFUSAL = 'the audit trail is append-only';

/**
 * The audit trail is append-only in the database too: an UPDATE or DELETE of
 * an event (and on PostgreSQL a TRUNCATE) fails, whoever sends it. The hash
 * chain shows tampering after the fact; this stops a mistaken statement or a
 * bug before it. Someone who owns the schema can still drop the guard, which
 * is what the chain and the recorded head hash are for.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    for (const event of ['update', 'delete']) {
      await sql`create trigger ${sql.raw(`audit_events_no_${event}`)} before ${sql.raw(event)} on audit_events
        begin select raise(abort, ${sql.lit(REFUSAL)}); end`.execute(db);
    }
    return;
  }
  await sql`create function hwt_audit_append_only() returns trigger language plpgsql as $$
    begin raise exception ${sql.lit(REFUSAL)} using errcode = 'insufficient_privilege'; end $$`.execute(db);
  await sql`create trigger audit_events_append_only before update or delete or truncate on audit_events
    for each statement execute function hwt_audit_append_only()`.execute(db);
}
