import type { TenantSettings } from '../../../contract/directory.js';

/** SPEC.md §4–§5 defaults. */
export const DEFAULT_SETTINGS: TenantSettings = {
  hotpLookAhead: 10,
  totpWindow: 1,
  hotpSyncWindow: 1000,
  totpSyncWindow: 2880,
  maxFailures: 10,
  lockSeconds: 300,
  requireProofOnAssign: false,
};

export function parseSettings(json: string): TenantSettings {
  return { ...DEFAULT_SETTINGS, ...(JSON.parse(json) as Partial<TenantSettings>) };
}
