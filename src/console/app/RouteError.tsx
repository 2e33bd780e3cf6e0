import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useRouteError } from 'react-router-dom';

/** A screen that failed to render (or to load its code): say so, and offer a way on. */
export function RouteError() {
  const error = useRouteError();
  const stale = error instanceof Error && /dynamically imported module|Importing a module script failed/i.test(error.message);
  return (
    <Stack p="lg" role="alert">
      <Title order={1} size="h2">This screen could not be shown</Title>
      <Text>
        {stale
          ? 'The console has been updated since this page was opened. Reload the page to continue.'
          : 'Something went wrong while showing this screen. Reload the page; if it happens again, tell your administrator.'}
      </Text>
      <Anchor href={window.location.href}>Reload</Anchor>
    </Stack>
  );
}
