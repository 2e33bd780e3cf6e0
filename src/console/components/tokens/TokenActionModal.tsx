import { Modal } from '@mantine/core';
import type { HwToken } from '../../../contract/index.js';
import type { TokenAction } from '../../lib/token-actions.js';
import { AssignForm } from './AssignForm.js';
import { CompromiseForm } from './CompromiseForm.js';
import { ConfirmActionForm } from './ConfirmActionForm.js';
import { HistoryTable } from './HistoryTable.js';
import { ResetForm } from './ResetForm.js';
import type { TokenDialogState } from './use-token-dialog.js';

const TITLES: Record<TokenAction, (serial: string) => string> = {
  assign: (s) => `Assign token ${s} to a user`,
  unassign: (s) => `Unassign token ${s} from its user`,
  disable: (s) => `Disable token ${s} temporarily`,
  enable: (s) => `Enable token ${s}`,
  compromise: (s) => `Compromise token ${s}`,
  reset: (s) => `Reset token ${s}`,
  unlock: (s) => `Unlock token ${s}`,
  history: (s) => `History of token ${s}`,
};

/** The dialog of a row action: focus stays inside it, Escape closes it. */
export function TokenActionModal({ dialog, onClose, onDone }: {
  dialog: TokenDialogState | null;
  onClose: () => void;
  onDone: (action: TokenAction, token: HwToken) => void;
}) {
  const action = dialog?.action;
  const token = dialog?.token;
  return (
    <Modal
      opened={dialog?.opened ?? false}
      onClose={onClose}
      title={action && token ? TITLES[action](token.serial) : ''}
      size={action === 'history' ? 'xl' : 'lg'}
      trapFocus
      closeOnEscape
      returnFocus={false}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {action && token && dialog?.opened && (
        <ActionBody action={action} token={token} onClose={onClose} onDone={(updated) => onDone(action, updated)} />
      )}
    </Modal>
  );
}

function ActionBody({ action, token, onClose, onDone }: {
  action: TokenAction;
  token: HwToken;
  onClose: () => void;
  onDone: (token: HwToken) => void;
}) {
  switch (action) {
    case 'assign':
      return <AssignForm token={token} onCancel={onClose} onDone={(t) => { onDone(t); onClose(); }} />;
    case 'compromise':
      return <CompromiseForm token={token} onCancel={onClose} onDone={(t) => { onDone(t); onClose(); }} />;
    case 'reset':
      return <ResetForm token={token} onClose={onClose} onDone={onDone} />;
    case 'history':
      return <HistoryTable tokenId={token.id} serial={token.serial} withDetailLink />;
    default:
      return <ConfirmActionForm action={action} token={token} onCancel={onClose} onDone={(t) => { onDone(t); onClose(); }} />;
  }
}
