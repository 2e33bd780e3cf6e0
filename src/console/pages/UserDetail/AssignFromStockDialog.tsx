import { Button, Group, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import type { HwToken, User } from '../../../contract/index.js';
import { useStockTokens, useTokenCommand } from '../../api/use-tokens.js';
import { useTenant } from '../../app/session-context.js';
import { ErrorAlert } from '../../components/ui/QueryStates.js';
import { userLabel } from '../../lib/format.js';

/** Give a user a token that no one holds: find it by serial, pick it, ASSIGN TO USER. */
export function AssignFromStockDialog({ user, opened, onClose, onDone }: {
  user: User;
  opened: boolean;
  onClose: () => void;
  onDone: (token: HwToken) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Assign a token to ${userLabel(user)}`} size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      {opened && <StockForm user={user} onClose={onClose} onDone={onDone} />}
    </Modal>
  );
}

function StockForm({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: (token: HwToken) => void }) {
  const tenant = useTenant();
  const command = useTokenCommand(tenant.slug);
  const [serial, setSerial] = useState('');
  const [debounced] = useDebouncedValue(serial, 250);
  const stock = useStockTokens(tenant.slug, debounced, true);
  const [tokenId, setTokenId] = useState<string | null>(null);
  const [otp, setOtp] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!tokenId) {
      setMissing(true);
      return;
    }
    const body = otp.trim() ? { userId: user.id, otp: otp.trim() } : { userId: user.id };
    command.mutate({ tokenId, command: { action: 'assign', body } }, { onSuccess: (token) => { onDone(token); onClose(); } });
  };
  const items = stock.data?.items ?? [];
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Serial" description="Tokens in stock whose serial starts with this." value={serial}
          onChange={(event) => setSerial(event.currentTarget.value)} autoComplete="off" data-autofocus />
        <div aria-live="polite">
          {stock.isPending ? (
            <Text size="sm" c="dimmed">Searching the stock…</Text>
          ) : stock.isError ? (
            <ErrorAlert error={stock.error} title="The stock could not be searched" />
          ) : items.length === 0 ? (
            <Text size="sm">No token in stock{debounced.trim() ? ` with a serial starting with “${debounced.trim()}”` : ''}.</Text>
          ) : (
            <Radio.Group label="Token" value={tokenId} onChange={setTokenId}
              error={missing && !tokenId ? 'Pick the token to assign.' : undefined}>
              <Stack gap={6} mt={6}>
                {items.map((token) => (
                  <Radio key={token.id} value={token.id} label={token.serial}
                    description={`${token.type.toUpperCase()} · ${[token.vendor, token.model].filter(Boolean).join(' / ') || 'no vendor'} · ${token.status}`} />
                ))}
              </Stack>
            </Radio.Group>
          )}
        </div>
        <TextInput label="One-time password from the token (optional)" description="Proves that the user has this token in hand."
          value={otp} inputMode="numeric" autoComplete="one-time-code" onChange={(event) => setOtp(event.currentTarget.value)} />
        {command.isError && <ErrorAlert error={command.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button type="submit" loading={command.isPending}>ASSIGN TO USER</Button>
        </Group>
      </Stack>
    </form>
  );
}
