import { Anchor, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Privilege } from '../../contract/index.js';
import { paths } from './paths.js';
import { useTenant } from './session-context.js';

/**
 * A screen that the operator's role in this tenant does not open (an address
 * typed or kept from another tenant) says so, instead of trying to load and
 * failing with a "try again" that cannot help.
 */
export function RequirePrivilege({ privilege, title, subject, children }: { privilege: Privilege; title: string; subject: string; children: ReactNode }) {
  const tenant = useTenant();
  if (tenant.can(privilege)) return children;
  return (
    <Stack>
      <Title order={1}>{title}</Title>
      <Text>Your role in {tenant.name} does not include {subject}.</Text>
      <Anchor component={Link} to={paths.home(tenant.slug)}>Go to the Operational console of {tenant.name}</Anchor>
    </Stack>
  );
}
