import { Button, Group, Stack, Text } from '@mantine/core';
import type { HwToken } from '../../../contract/index.js';
import { useTokenCommand } from '../../api/use-tokens.js';
import { useTenant } from '../../app/session-context.js';
import { ErrorAlert } from '../ui/QueryStates.js';
import { userLabel } from '../../lib/format.js';
import { ACTION_LABELS } from '../../lib/token-actions.js';
import { LastActiveWarning } from './LastActiveWarning.js';

type ConfirmAction = 'unassign' | 'disable' | 'enable' | 'unlock';

function question(action: ConfirmAction, token: HwToken): string {
  const holder = token.holder ? userLabel(token.holder) : null;
  switch (action) {
    case 'unassign':
      return `Unassign token ${token.serial} from ${holder ?? 'its user'}? The token stays ${token.status}, ready for a new assignment.`;
    case 'disable':
      return `Disable token ${token.serial} temporarily? It will not accept one-time passwords until it is enabled again.${holder ? ` It stays assigned to ${holder}.` : ''}`;
    case 'enable':
      return `Enable token ${token.serial}? It will accept one-time passwords again.`;
    case 'unlock':
      return `Unlock token ${token.serial}? This clears the lock set after too many wrong one-time passwords, and its failure count.`;
  }
}

/** Unassign, disable, enable, unlock: one question, one button. */
export function ConfirmActionForm({ action, token, onCancel, onDone }: {
  action: ConfirmAction;
  token: HwToken;
  onCancel: () => void;
  onDone: (token: HwToken) => void;
}) {
  const tenant = useTenant();
  const command = useTokenCommand(tenant.slug);
  const confirm = () => command.mutate({ tokenId: token.id, command: { action } }, { onSuccess: onDone });
  return (
    <Stack>
      <Text>{question(action, token)}</Text>
      {action === 'unassign' && <LastActiveWarning token={token} />}
      {command.isError && <ErrorAlert error={command.error} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel} data-autofocus>Cancel</Button>
        <Button onClick={confirm} loading={command.isPending}>
          {ACTION_LABELS[action]}
        </Button>
      </Group>
    </Stack>
  );
}
