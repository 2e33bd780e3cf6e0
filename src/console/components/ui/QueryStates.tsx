import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { describeError } from '../../messages.js';

/** Loading, error and empty states, the same on every screen. */
export function LoadingState({ label, fullPage = false }: { label: string; fullPage?: boolean }) {
  return (
    <Center mih={fullPage ? '100vh' : 160} role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" aria-hidden />
        <Text c="dimmed">{label}</Text>
      </Group>
    </Center>
  );
}

export function ErrorAlert({ error, title = 'The action was refused' }: { error: unknown; title?: string }) {
  const { message, detail } = describeError(error);
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      <Text size="sm">{message}</Text>
      {detail && (
        <Text size="sm" mt={4}>
          {detail}
        </Text>
      )}
    </Alert>
  );
}

export function ErrorState({ error, onRetry, fullPage = false, title = 'This could not be loaded' }: {
  error: unknown;
  onRetry?: () => void;
  fullPage?: boolean;
  title?: string;
}) {
  const body = (
    <Stack maw={560} w="100%">
      <ErrorAlert error={error} title={title} />
      {onRetry && (
        <Group>
          <Button variant="default" onClick={onRetry}>Try again</Button>
        </Group>
      )}
    </Stack>
  );
  return fullPage ? <Center mih="100vh" p="md">{body}</Center> : <Center py="xl">{body}</Center>;
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Center py="xl" role="status">
      <Stack align="center" gap="xs" maw={520}>
        <Text fw={600}>{title}</Text>
        {children}
      </Stack>
    </Center>
  );
}
