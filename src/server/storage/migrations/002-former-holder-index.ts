import type { Kysely } from 'kysely';

/** A user's page lists the tokens it holds and those it held when compromised: both from an index. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('hw_tokens_former_holder').on('hw_tokens').columns(['tenant_id', 'former_holder_id']).execute();
}
