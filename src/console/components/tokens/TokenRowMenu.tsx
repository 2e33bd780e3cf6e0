import { ActionIcon, Button, Menu } from '@mantine/core';
import type { HwToken } from '../../../contract/index.js';
import { useTenant } from '../../app/session-context.js';
import { ACTION_LABELS, availableActions, type TokenAction } from '../../lib/token-actions.js';

/** The row's context menu (⋮): only the actions the operator may use on this token now. */
export function TokenRowMenu({ token, onAction }: { token: HwToken; onAction: (action: TokenAction, token: HwToken) => void }) {
  const tenant = useTenant();
  const actions = availableActions(token, tenant.privileges);
  if (actions.length === 0) return null;
  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={220}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for token ${token.serial}`}>
          <span aria-hidden style={{ fontSize: 18, lineHeight: 1 }}>⋮</span>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown aria-label={`Actions for token ${token.serial}`}>
        {actions.map((action) => (
          <Menu.Item
            key={action}
            color={action === 'compromise' ? 'red' : undefined}
            onClick={() => onAction(action, token)}
          >
            {ACTION_LABELS[action]}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/** The same actions as a row of buttons, for the token detail page. */
export function TokenActionButtons({ token, onAction }: { token: HwToken; onAction: (action: TokenAction, token: HwToken) => void }) {
  const tenant = useTenant();
  const actions = availableActions(token, tenant.privileges).filter((action) => action !== 'history');
  return (
    <>
      {actions.map((action) => (
        <ActionButton key={action} action={action} onClick={() => onAction(action, token)} />
      ))}
    </>
  );
}

function ActionButton({ action, onClick }: { action: TokenAction; onClick: () => void }) {
  return (
    <Button size="xs" variant={action === 'compromise' ? 'outline' : 'default'} color={action === 'compromise' ? 'red' : undefined} onClick={onClick}>
      {ACTION_LABELS[action]}
    </Button>
  );
}
