import { useCallback, useRef, useState } from 'react';
import type { HwToken } from '../../../contract/index.js';
import type { TokenAction } from '../../lib/token-actions.js';
import { actionOutcome } from './action-outcome.js';

export interface TokenDialogState {
  action: TokenAction;
  token: HwToken;
  opened: boolean;
}

export interface TokenNotice {
  tokenId: string;
  text: string;
  /** Bumped on each action, so that the same sentence twice is announced twice. */
  seq: number;
}

/**
 * The one action dialog of a screen, and the notice it leaves after success.
 * The dialog stays mounted while it closes so that focus returns to the menu.
 */
export function useTokenDialog() {
  const [dialog, setDialog] = useState<TokenDialogState | null>(null);
  const [notice, setNotice] = useState<TokenNotice | null>(null);
  // The control that opened the dialog gets the focus back when it closes (the menu item it came from is gone).
  const trigger = useRef<HTMLElement | null>(null);
  const open = useCallback((action: TokenAction, token: HwToken, from?: HTMLElement | null) => {
    trigger.current = from ?? null;
    setDialog({ action, token, opened: true });
  }, []);
  const close = useCallback(() => {
    setDialog((current) => (current ? { ...current, opened: false } : current));
    const element = trigger.current;
    window.setTimeout(() => {
      if (element?.isConnected) element.focus();
    }, 0);
  }, []);
  const done = useCallback((action: TokenAction, token: HwToken) => {
    setNotice((previous) => ({ tokenId: token.id, text: actionOutcome(action, token), seq: (previous?.seq ?? 0) + 1 }));
  }, []);
  const dismissNotice = useCallback(() => setNotice(null), []);
  return { dialog, open, close, done, notice, dismissNotice };
}
