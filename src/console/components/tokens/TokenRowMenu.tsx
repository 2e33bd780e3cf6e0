import { ActionIcon, Button, Menu } from '@mantine/core';
import { useEffect, useRef, useState, type ComponentPropsWithRef } from 'react';
import type { HwToken } from '../../../contract/index.js';
import { useTenant } from '../../app/session-context.js';
import { ACTION_LABELS, availableActions, type TokenAction } from '../../lib/token-actions.js';

export type TokenActionHandler = (action: TokenAction, token: HwToken, trigger: HTMLElement | null) => void;

/**
 * The row's context menu (⋮): only the actions the operator may use on this
 * token now. A Mantine menu brings a popover, a portal, a transition and
 * document listeners with it (about 60 ms of the render of a page of 50 rows
 * here), so a row shows the bare button, and the menu mounts in its place on
 * the first press (mouse, touch or keyboard), takes the focus and opens.
 */
export function TokenRowMenu({ token, onAction }: { token: HwToken; onAction: TokenActionHandler }) {
  const tenant = useTenant();
  const [pressed, setPressed] = useState(false);
  const actions = availableActions(token, tenant.privileges);
  if (actions.length === 0) return null;
  const label = `Actions for token ${token.serial}`;
  if (!pressed) return <MenuButton label={label} aria-expanded={false} onClick={() => setPressed(true)} />;
  return <RowMenu token={token} actions={actions} label={label} onAction={onAction} />;
}

function RowMenu({ token, actions, label, onAction }: {
  token: HwToken;
  actions: TokenAction[];
  label: string;
  onAction: TokenActionHandler;
}) {
  const target = useRef<HTMLButtonElement>(null);
  const [opened, setOpened] = useState(false);
  // Opened after the first commit, with the focus on the new button, so that closing the menu returns the focus there.
  useEffect(() => setOpened(true), []);
  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={220} opened={opened} onChange={setOpened}>
      <Menu.Target>
        {/* Escape closes the menu also while the focus is still on its button: Mantine's dropdown hears it only once the focus has moved in, a moment after it opens. */}
        <MenuButton ref={target} label={label} autoFocus onKeyDown={(event) => { if (event.key === 'Escape') setOpened(false); }} />
      </Menu.Target>
      <Menu.Dropdown aria-label={label}>
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

function MenuButton({ label, ...props }: { label: string } & ComponentPropsWithRef<'button'>) {
  return (
    <ActionIcon variant="subtle" color="gray" aria-label={label} aria-haspopup="menu" {...props}>
      <span aria-hidden style={{ fontSize: 18, lineHeight: 1 }}>⋮</span>
    </ActionIcon>
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
