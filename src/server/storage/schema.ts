/**
 * Row types of every table. Times are epoch milliseconds (BIGINT), booleans
 * are 0/1 integers, so that SQLite and PostgreSQL return the same JS values
 * (int8 is parsed to number in storage/db.ts).
 */

export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  settings: string;
  created_at: number;
}

export interface OperatorsTable {
  id: string;
  username: string;
  username_lower: string;
  display_name: string | null;
  password_hash: string;
  superadmin: number;
  created_at: number;
}

export interface OperatorRolesTable {
  operator_id: string;
  tenant_id: string;
  role: string;
}

export interface SessionsTable {
  id_hash: string;
  operator_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  role: string;
  prefix: string;
  secret_hash: string;
  created_at: number;
  created_by: string;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  username: string;
  username_lower: string;
  display_name: string | null;
  email: string | null;
  external_id: string | null;
  created_at: number;
}

export interface HwTokensTable {
  id: string;
  tenant_id: string;
  serial: string;
  serial_lower: string;
  type: string;
  status: string;
  vendor: string | null;
  model: string | null;
  algorithm: string | null;
  digits: number | null;
  period: number | null;
  /** HOTP: next expected counter. */
  counter: number;
  /** TOTP: clock drift in steps. */
  drift: number;
  /** TOTP: last accepted step (replay guard). */
  last_step: number | null;
  yubico_public_id: string | null;
  yubico_use_counter: number | null;
  yubico_session_counter: number | null;
  /** Key material, AES-256-GCM envelope; NULL once compromised. */
  secret_enc: string | null;
  key_id: string | null;
  holder_id: string | null;
  /** Holder's lower-case username, '' when none: sort and prefix filter. */
  holder_sort: string;
  former_holder_id: string | null;
  assigned_at: number | null;
  fail_count: number;
  lock_count: number;
  locked_until: number | null;
  /** 0 when never used, so that keyset paging needs no NULL handling. */
  last_used_at: number;
  created_at: number;
  updated_at: number;
  compromised_at: number | null;
  compromise_reason: string | null;
  compromised_by: string | null;
  batch_id: string | null;
  description: string | null;
  description_lower: string | null;
  /** Bumped by every state change: compare-and-set guard. */
  version: number;
}

export interface AuditEventsTable {
  id: string;
  tenant_id: string;
  seq: number;
  at: number;
  actor: string;
  action: string;
  outcome: string;
  token_id: string | null;
  serial: string | null;
  user_id: string | null;
  username: string | null;
  reason: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  tenant_id: string;
  seq: number;
  hash: string;
}

export interface ImportBatchesTable {
  id: string;
  tenant_id: string;
  file_name: string;
  format: string;
  count: number;
  created_by: string;
  created_at: number;
}

export interface RateLimitsTable {
  bucket: string;
  window_start: number;
  hits: number;
}

/** PostgreSQL only: the order of last use, kept by triggers from hw_tokens (migration 004). */
export interface HwTokenUseTable {
  token_id: string;
  tenant_id: string;
  status: string;
  used_at: number;
}

export interface Database {
  tenants: TenantsTable;
  operators: OperatorsTable;
  operator_roles: OperatorRolesTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  hw_tokens: HwTokensTable;
  hw_token_use: HwTokenUseTable;
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
  import_batches: ImportBatchesTable;
  rate_limits: RateLimitsTable;
}

