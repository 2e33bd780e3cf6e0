import type { TenantSettings } from '../../contract/directory.js';
import type { Privilege } from '../../contract/privileges.js';
import type { Storage } from '../storage/db.js';
import type { GroupCommit } from '../modules/audit/group-commit.js';
import type { Keyring } from '../modules/secrets/keyring.js';
import type { Clock } from './time.js';
import type { Metrics } from './metrics.js';

/** What every part of the service shares: built once at start. */
export interface Services {
  storage: Storage;
  keyring: Keyring;
  clock: Clock;
  metrics: Metrics;
  /** Verification's changes, committed in groups (see GroupCommit). */
  groupCommit: GroupCommit;
}

/** Who is acting, in which tenant, with which privileges: one per request. */
export interface TenantContext extends Services {
  tenant: { id: string; slug: string; settings: TenantSettings };
  /** How the audit trail names the actor: an operator's username or `apikey:<name>`. */
  actor: string;
  privileges: ReadonlySet<Privilege>;
}
