import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { HwToken } from '../../../contract/index.js';
import { useTokenCommand } from '../../api/use-tokens.js';
import { useTenant } from '../../app/session-context.js';
import { ErrorAlert } from '../ui/QueryStates.js';

/** Some tokens show the code in two groups ("123 456"). */
const clean = (otp: string) => otp.replace(/\s+/g, '');

function hint(token: HwToken): string {
  return token.type === 'totp'
    ? 'Enter two consecutive one-time passwords in the order they were generated: OTP 1 is the code shown now, OTP 2 the next code the token shows.'
    : 'Enter two consecutive one-time passwords in the order they were generated: press the token’s button, type the code as OTP 1, press it again and type that code as OTP 2.';
}

/** The token reset form (resynchronisation): OTP 1, OTP 2, RESET; the outcome stays on screen. */
export function ResetForm({ token, onClose, onDone }: {
  token: HwToken;
  onClose: () => void;
  onDone: (token: HwToken) => void;
}) {
  const tenant = useTenant();
  const command = useTokenCommand(tenant.slug);
  const [otp1, setOtp1] = useState('');
  const [otp2, setOtp2] = useState('');
  const [touched, setTouched] = useState(false);
  // As many digits as this token shows: a code of another length is a typo, not worth a refused (and audited) reset.
  const digits = token.digits ?? 6;
  const wellFormed = (otp: string) => new RegExp(`^\\d{${digits}}$`).test(clean(otp));
  const invalid1 = !wellFormed(otp1);
  const invalid2 = !wellFormed(otp2);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid1 || invalid2) return;
    command.mutate(
      { tokenId: token.id, command: { action: 'reset', body: { otp1: clean(otp1), otp2: clean(otp2) } } },
      { onSuccess: onDone },
    );
  };
  if (command.isSuccess) {
    return (
      <Stack>
        <Alert color="green" variant="light" title="The token is reset" role="status">
          Token {token.serial} is resynchronised; its failure count and lock are cleared. The user can sign in with
          their next one-time password.
        </Alert>
        <Group justify="flex-end">
          <Button onClick={onClose} data-autofocus>Close</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" id="reset-hint">{hint(token)}</Text>
        <Group grow align="flex-start">
          <TextInput
            label="OTP 1"
            required
            inputMode="numeric"
            autoComplete="off"
            aria-describedby="reset-hint"
            value={otp1}
            error={touched && invalid1 ? `Enter the first one-time password: ${digits} digits.` : undefined}
            onChange={(event) => {
              setOtp1(event.currentTarget.value);
              if (command.isError) command.reset();
            }}
            data-autofocus
          />
          <TextInput
            label="OTP 2"
            required
            inputMode="numeric"
            autoComplete="off"
            aria-describedby="reset-hint"
            value={otp2}
            error={touched && invalid2 ? `Enter the second one-time password: ${digits} digits.` : undefined}
            onChange={(event) => {
              setOtp2(event.currentTarget.value);
              if (command.isError) command.reset();
            }}
          />
        </Group>
        {command.isError && <ErrorAlert error={command.error} title="The token was not reset" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button type="submit" loading={command.isPending}>RESET</Button>
        </Group>
      </Stack>
    </form>
  );
}
