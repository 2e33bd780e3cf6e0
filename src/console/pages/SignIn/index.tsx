import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/api-error.js';
import { useSignIn } from '../../api/use-session.js';
import { safeNext } from '../../app/paths.js';
import { ErrorAlert } from '../../components/ui/QueryStates.js';

const REASONS: Record<string, { color: string; text: string }> = {
  expired: { color: 'yellow', text: 'Your session has expired. Sign in again to continue where you left off.' },
  'signed-out': { color: 'blue', text: 'You have signed out.' },
};

export default function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const reason = REASONS[params.get('reason') ?? ''];
  const next = safeNext(params.get('next'));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ username: username.trim(), password }, {
      onSuccess: () => void navigate(next, { replace: true }),
      onError: () => setPassword(''),
    });
  };
  const badCredentials = signIn.error instanceof ApiError && signIn.error.status === 401;

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={400} component="main">
        <form onSubmit={submit} noValidate aria-labelledby="sign-in-title">
          <Stack>
            <div>
              <Title order={1} size="h2" id="sign-in-title">Sign in</Title>
              <Text c="dimmed" size="sm">hwtokens · Operational console</Text>
            </div>
            {reason && !signIn.isError && (
              <Alert color={reason.color} variant="light" role="status">{reason.text}</Alert>
            )}
            {badCredentials && (
              <Alert color="red" variant="light" role="alert">The username or password is not correct.</Alert>
            )}
            {signIn.isError && !badCredentials && <ErrorAlert error={signIn.error} title="Sign-in failed" />}
            <TextInput
              label="Username"
              autoComplete="username"
              required
              autoFocus
              value={username}
              onChange={(event) => setUsername(event.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <Button type="submit" loading={signIn.isPending} disabled={!username.trim() || !password}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
