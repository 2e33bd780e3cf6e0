import type { HwToken } from '../../../contract/index.js';
import { userLabel } from '../../lib/format.js';
import type { TokenAction } from '../../lib/token-actions.js';

/** The sentence the list shows after an action succeeded, naming the token's new state. */
export function actionOutcome(action: TokenAction, token: HwToken): string {
  const name = `Token ${token.serial}`;
  switch (action) {
    case 'assign':
      return token.holder ? `${name} is now assigned to ${userLabel(token.holder)}.` : `${name} is assigned.`;
    case 'unassign':
      return `${name} is no longer assigned; it is still ${token.status}, ready for a new assignment.`;
    case 'disable':
      return `${name} is now disabled.`;
    case 'enable':
      return `${name} is now active.`;
    case 'compromise':
      return `${name} is now compromised. It can never be used again.`;
    case 'reset':
      return `${name} has been resynchronised and its failure lock cleared.`;
    case 'unlock':
      return `${name} is unlocked.`;
    case 'history':
      return '';
  }
}
