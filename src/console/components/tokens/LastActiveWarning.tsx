import { Alert } from '@mantine/core';
import type { HwToken } from '../../../contract/index.js';
import { useUser } from '../../api/use-users.js';
import { useTenant } from '../../app/session-context.js';
import { userLabel } from '../../lib/format.js';

/**
 * Unassign and compromise are never refused for leaving a user without an
 * active token (a stolen token must always be revocable), so the console says
 * so before the operator confirms (SPEC §3).
 */
export function LastActiveWarning({ token }: { token: HwToken }) {
  const tenant = useTenant();
  const holderId = token.status === 'active' && token.holder && tenant.can('user:read') ? token.holder.id : null;
  const holder = useUser(tenant.slug, holderId);
  if (!holderId || !holder.data || holder.data.activeTokens > 1) return null;
  return (
    <Alert color="yellow" variant="light" title="Last active token" role="note">
      This is the only active token of {userLabel(holder.data)}. Afterwards they will have no active token and cannot
      pass the second factor until they are given another one.
    </Alert>
  );
}
