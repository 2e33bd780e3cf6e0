import { Button, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import type { HwToken } from '../../../contract/index.js';
import { useTokenCommand } from '../../api/use-tokens.js';
import { useUserPage } from '../../api/use-users.js';
import { useTenant } from '../../app/session-context.js';
import { userLabel } from '../../lib/format.js';
import { ErrorAlert } from '../ui/QueryStates.js';

/** ASSIGN TO USER: find the user by name, pick them, optionally prove possession with an OTP. */
export function AssignForm({ token, onCancel, onDone }: {
  token: HwToken;
  onCancel: () => void;
  onDone: (token: HwToken) => void;
}) {
  const tenant = useTenant();
  const command = useTokenCommand(tenant.slug);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const users = useUserPage(tenant.slug, q, null, 10, q.length > 0);
  const [userId, setUserId] = useState<string | null>(null);
  const [otp, setOtp] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!userId) {
      setMissing(true);
      return;
    }
    const body = otp.trim() ? { userId, otp: otp.trim() } : { userId };
    command.mutate({ tokenId: token.id, command: { action: 'assign', body } }, { onSuccess: onDone });
  };
  const items = users.data?.items ?? [];
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Find a user"
          description="Type part of the user's name or username."
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setMissing(false);
          }}
          data-autofocus
          autoComplete="off"
        />
        <div aria-live="polite">
          {q.length === 0 ? null : users.isPending ? (
            <Text size="sm" c="dimmed">Searching…</Text>
          ) : users.isError ? (
            <ErrorAlert error={users.error} title="Users could not be searched" />
          ) : items.length === 0 ? (
            <Text size="sm">No user matches “{q}”.</Text>
          ) : (
            <Radio.Group
              label="User"
              value={userId}
              onChange={setUserId}
              error={missing && !userId ? 'Pick the user who receives the token.' : undefined}
            >
              <Stack gap={6} mt={6}>
                {items.map((user) => (
                  <Radio
                    key={user.id}
                    value={user.id}
                    label={userLabel(user)}
                    description={`${user.activeTokens} active of ${user.tokenCount} token${user.tokenCount === 1 ? '' : 's'}${user.email ? ` · ${user.email}` : ''}`}
                  />
                ))}
              </Stack>
            </Radio.Group>
          )}
        </div>
        {missing && !userId && items.length === 0 && <Text size="sm" c="red">Find and pick the user who receives the token.</Text>}
        <TextInput
          label="One-time password from the token (optional)"
          description="Proves that the user has this token in hand. The tenant may require it."
          value={otp}
          inputMode="numeric"
          autoComplete="one-time-code"
          onChange={(event) => setOtp(event.currentTarget.value)}
        />
        {command.isError && <ErrorAlert error={command.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>Cancel</Button>
          <Button type="submit" loading={command.isPending}>ASSIGN TO USER</Button>
        </Group>
      </Stack>
    </form>
  );
}
