import { Badge } from '@mantine/core';
import type { HwToken, TokenStatus } from '../../../contract/index.js';

const STATUS_COLOR: Record<TokenStatus, string> = { active: 'green', disabled: 'gray', compromised: 'red' };

/** The status badge, and "locked" beside it while the failure lock holds. */
export function StatusBadges({ token }: { token: Pick<HwToken, 'status' | 'locked'> }) {
  return (
    <span className="hwt-badges">
      <Badge color={STATUS_COLOR[token.status]} variant={token.status === 'active' ? 'light' : 'filled'}>
        {token.status}
      </Badge>
      {token.locked && token.status !== 'compromised' && (
        <Badge color="orange" variant="outline">locked</Badge>
      )}
    </span>
  );
}

export function OutcomeBadge({ outcome }: { outcome: string }) {
  const color = outcome === 'success' || outcome === 'ok' || outcome === 'accepted' ? 'green' : outcome === 'refused' || outcome === 'denied' ? 'orange' : 'red';
  // The label keeps its width: a narrow column wraps the other cells instead of cutting "refused" to "REFUS…".
  return <Badge color={color} variant="light" styles={{ label: { overflow: 'visible' } }}>{outcome}</Badge>;
}
