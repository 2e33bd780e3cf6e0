import { ActionIcon, Button, Menu } from '@mantine/core';
import { useRef } from 'react';
import type { HwToken } from '../../../contract/index.js';
import { useTenant } from '../../app/session-context.js';
import { ACTION_LABELS, availableActions, type TokenAction } from '../../lib/token-actions.js';

export type TokenActionHandler = (action: TokenAction, token: HwToken, trigger: HTMLElement | null) => void;

/** The row's context menu (⋮): only the actions the operator may use on this token now. */
export function TokenRowMenu({ token, onAction }: { token: HwToken; onAction: TokenActionHandler }) {
  const tenant = useTenant();
  const target = useRef<HTMLButtonElement>(null);
  const actions = availableActions(token, tenant.privileges);
  if (actions.length === 0) return null;
  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={220}>
      <Menu.Target>
        <ActionIcon ref={target} variant="subtle" color="gray" aria-label={`Actions for token ${token.serial}`}>
          <span aria-hidden style={{ fontSize: 18, lineHeight: 1 }}>⋮</span>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown aria-label={`Actions for token ${token.serial}`}>
        {actions.map((action) => (
          <Menu.Item
            key={action}
            color={action === 'compromise' ? 'red' : undefined}
            onClick={() => onAction(action, token, target.current)}
          >
            {ACTION_LABELS[action]}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/** The same actions as a row of buttons, for the token detail page. */
export function TokenActionButtons({ token, onAction }: { token: HwToken; onAction: TokenActionHandler }) {
  const tenant = useTenant();
  const actions = availableActions(token, tenant.privileges).filter((action) => action !== 'history');
  return (
    <>
      {actions.map((action) => (
        <ActionButton key={action} action={action} onClick={(event) => onAction(action, token, event.currentTarget)} />
      ))}
    </>
  );
}

function ActionButton({ action, onClick }: { action: TokenAction; onClick: (event: React.MouseEvent<HTMLButtonElement>) => void }) {
  return (
    <Button size="xs" variant={action === 'compromise' ? 'outline' : 'default'} color={action === 'compromise' ? 'red' : undefined} onClick={onClick}>
      {ACTION_LABELS[action]}
    </Button>
  );
}
