import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { HwToken } from '../../../contract/index.js';
import { useTokenCommand } from '../../api/use-tokens.js';
import { useTenant } from '../../app/session-context.js';
import { userLabel } from '../../lib/format.js';
import { ErrorAlert } from '../ui/QueryStates.js';
import { LastActiveWarning } from './LastActiveWarning.js';

const REASON_MAX = 500;

/** Compromise: a reason is required, and the operator is told it cannot be undone. */
export function CompromiseForm({ token, onCancel, onDone }: {
  token: HwToken;
  onCancel: () => void;
  onDone: (token: HwToken) => void;
}) {
  const tenant = useTenant();
  const command = useTokenCommand(tenant.slug);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = reason.trim();
    if (!text) {
      setMissing(true);
      return;
    }
    command.mutate({ tokenId: token.id, command: { action: 'compromise', body: { reason: text } } }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Alert color="red" variant="light" title="This is permanent" role="note">
          <Text size="sm">
            A compromised token can never again be used to sign in, be enabled, assigned or reset. Its key material is
            destroyed now. The token stays in the list, for the record. There is no way back.
          </Text>
          {token.holder && (
            <Text size="sm" mt="xs">{userLabel(token.holder)} will no longer hold this token.</Text>
          )}
        </Alert>
        <LastActiveWarning token={token} />
        <Textarea
          label="Reason"
          description={`Required: why the token is compromised (lost, stolen, secret disclosed…). Recorded in the audit trail. Up to ${REASON_MAX} characters.`}
          required
          autosize
          minRows={3}
          maxLength={REASON_MAX}
          value={reason}
          error={missing && !reason.trim() ? 'Enter the reason.' : undefined}
          onChange={(event) => setReason(event.currentTarget.value)}
          data-autofocus
        />
        {command.isError && <ErrorAlert error={command.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>Cancel</Button>
          <Button type="submit" color="red" loading={command.isPending}>COMPROMISE</Button>
        </Group>
      </Stack>
    </form>
  );
}
