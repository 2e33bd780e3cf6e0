import { sql, type Kysely } from 'kysely';

/**
 * The whole schema, for SQLite and PostgreSQL alike. Every unique index begins
 * with tenant_id. Frozen: later changes are new migrations.
 */
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  // Serials and usernames compare bytewise so that a prefix is an index range.
  const bytewise = dialect === 'postgres' ? sql`collate "C"` : sql``;
  const bigint = 'bigint' as const;

  await db.schema.createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();

  await db.schema.createTable('operators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_lower', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('superadmin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();

  await db.schema.createTable('operator_roles')
    .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('operator_roles_pk', ['operator_id', 'tenant_id', 'role'])
    .execute();

  await db.schema.createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('last_seen_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_operator').on('sessions').column('operator_id').execute();

  await db.schema.createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('last_used_at', bigint)
    .addColumn('revoked_at', bigint)
    .execute();
  await db.schema.createIndex('api_keys_tenant').on('api_keys').columns(['tenant_id', 'created_at']).execute();

  await db.schema.createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_lower', 'text', (c) => c.notNull().modifyEnd(bytewise))
    .addColumn('display_name', 'text')
    .addColumn('email', 'text')
    .addColumn('external_id', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_tenant_username').on('users').columns(['tenant_id', 'username_lower']).unique().execute();

  await createTokenTable(db, bytewise);
  await createAuditTables(db);

  await db.schema.createTable('import_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('import_batches_tenant').on('import_batches').columns(['tenant_id', 'created_at']).execute();

  await db.schema.createTable('rate_limits')
    .addColumn('bucket', 'text', (c) => c.primaryKey())
    .addColumn('window_start', bigint, (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .execute();
}

async function createTokenTable(db: Kysely<any>, bytewise: ReturnType<typeof sql>): Promise<void> {
  await db.schema.createTable('hw_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('serial_lower', 'text', (c) => c.notNull().modifyEnd(bytewise))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('vendor', 'text')
    .addColumn('model', 'text')
    .addColumn('algorithm', 'text')
    .addColumn('digits', 'integer')
    .addColumn('period', 'integer')
    .addColumn('counter', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('drift', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_step', 'bigint')
    .addColumn('yubico_public_id', 'text')
    .addColumn('yubico_use_counter', 'integer')
    .addColumn('yubico_session_counter', 'integer')
    .addColumn('secret_enc', 'text')
    .addColumn('key_id', 'text')
    .addColumn('holder_id', 'text', (c) => c.references('users.id'))
    .addColumn('holder_sort', 'text', (c) => c.notNull().defaultTo('').modifyEnd(bytewise))
    .addColumn('former_holder_id', 'text', (c) => c.references('users.id'))
    .addColumn('assigned_at', 'bigint')
    .addColumn('fail_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lock_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('last_used_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('compromised_at', 'bigint')
    .addColumn('compromise_reason', 'text')
    .addColumn('compromised_by', 'text')
    .addColumn('batch_id', 'text')
    .addColumn('description', 'text')
    .addColumn('description_lower', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  const index = (name: string, columns: string[]) => db.schema.createIndex(name).on('hw_tokens').columns(columns);
  await index('hw_tokens_serial', ['tenant_id', 'serial_lower']).unique().execute();
  await index('hw_tokens_yubico', ['tenant_id', 'yubico_public_id']).unique().where(sql.ref('yubico_public_id'), 'is not', null).execute();
  // One index per sort key, each ending in id for keyset paging; filters by
  // status, type, holder and batch lead their own.
  for (const key of ['created_at', 'last_used_at', 'holder_sort', 'status', 'type']) {
    await index(`hw_tokens_by_${key}`, ['tenant_id', key, 'id']).execute();
  }
  await index('hw_tokens_status_created', ['tenant_id', 'status', 'created_at', 'id']).execute();
  await index('hw_tokens_status_serial', ['tenant_id', 'status', 'serial_lower']).execute();
  await index('hw_tokens_type_created', ['tenant_id', 'type', 'created_at', 'id']).execute();
  await index('hw_tokens_holder', ['tenant_id', 'holder_id', 'status']).execute();
  await index('hw_tokens_batch', ['tenant_id', 'batch_id', 'created_at', 'id']).execute();
  await index('hw_tokens_vendor', ['tenant_id', 'vendor', 'model', 'created_at', 'id']).execute();
  // In stock (no holder), newest first: the help desk's everyday view.
  await index('hw_tokens_stock_created', ['tenant_id', 'created_at', 'id']).where(sql.ref('holder_id'), 'is', null).execute();
  await index('hw_tokens_stock_serial', ['tenant_id', 'serial_lower']).where(sql.ref('holder_id'), 'is', null).execute();
  await index('hw_tokens_assigned_created', ['tenant_id', 'created_at', 'id']).where(sql.ref('holder_id'), 'is not', null).execute();
}

async function createAuditTables(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('token_id', 'text')
    .addColumn('serial', 'text')
    .addColumn('user_id', 'text')
    .addColumn('username', 'text')
    .addColumn('reason', 'text')
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  const index = (name: string, columns: string[]) => db.schema.createIndex(name).on('audit_events').columns(columns);
  await index('audit_events_seq', ['tenant_id', 'seq']).unique().execute();
  await index('audit_events_token', ['tenant_id', 'token_id', 'seq']).execute();
  await index('audit_events_action', ['tenant_id', 'action', 'seq']).execute();
  await index('audit_events_actor', ['tenant_id', 'actor', 'seq']).execute();
  await index('audit_events_user', ['tenant_id', 'user_id', 'seq']).execute();

  await db.schema.createTable('audit_heads')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
}
