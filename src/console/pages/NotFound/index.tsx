import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';

export default function NotFoundPage() {
  return (
    <Stack p="lg">
      <Title order={1}>Page not found</Title>
      <Text>There is no screen at this address.</Text>
      <Anchor component={Link} to="/">Go to the Operational console</Anchor>
    </Stack>
  );
}
