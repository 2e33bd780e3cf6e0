import { AppShell, Button, Group, NativeSelect, NavLink, Stack, Text, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useSignOut } from '../api/use-session.js';
import { userLabel } from '../lib/format.js';
import { paths, sectionPathIn, signInPath } from './paths.js';
import { useSession, useTenant } from './session-context.js';

/** The frame of every tenant screen: who and where on top, the sections on the left. */
export function ConsoleShell({ children }: { children: ReactNode }) {
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: 0 }} padding="lg">
      <AppShell.Header px="md">
        <ShellHeader />
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Sections">
        <SectionNav />
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}

function ShellHeader() {
  const me = useSession();
  const tenant = useTenant();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  return (
    <Group h="100%" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Text fw={800} c="blue.8" aria-hidden>hwtokens</Text>
        <Text c="dimmed" aria-hidden>·</Text>
        <Text fw={600}>{tenant.name}</Text>
      </Group>
      <Group gap="md" wrap="nowrap">
        {me.tenants.length > 1 && (
          <NativeSelect
            label="Tenant"
            size="xs"
            styles={{ root: { display: 'flex', alignItems: 'center', gap: 8 } }}
            value={tenant.slug}
            data={me.tenants.map((t) => ({ value: t.slug, label: t.name }))}
            onChange={(event) => void navigate(sectionPathIn(event.currentTarget.value, location.pathname))}
          />
        )}
        <Text size="sm" c="dimmed">
          <VisuallyHidden>Signed in as </VisuallyHidden>
          {userLabel(me.operator)}
        </Text>
        <Button
          variant="default"
          size="xs"
          loading={signOut.isPending}
          onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate(signInPath('/', 'signed-out'), { replace: true }) })}
        >
          Sign out
        </Button>
      </Group>
    </Group>
  );
}

function SectionNav() {
  const tenant = useTenant();
  const { pathname } = useLocation();
  const home = paths.home(tenant.slug);
  const under = (prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);
  const sections = [
    { to: `${home}/devices`, label: 'Devices', show: tenant.can('hwtoken:read') },
    { to: paths.users(tenant.slug), label: 'Users', show: tenant.can('user:read') },
    { to: paths.audit(tenant.slug), label: 'Audit', show: tenant.can('audit:read') },
  ];
  return (
    <nav aria-label="Console sections">
      <Stack gap={4}>
        <NavLink
          component={Link}
          to={home}
          label="Operational console"
          fw={700}
          active={pathname === home}
          aria-current={pathname === home ? 'page' : undefined}
        />
        {sections
          .filter((section) => section.show)
          .map((section) => (
            <NavLink
              key={section.to}
              component={Link}
              to={section.to}
              label={section.label}
              pl="lg"
              active={under(section.to)}
              aria-current={under(section.to) ? 'page' : undefined}
            />
          ))}
      </Stack>
    </nav>
  );
}
