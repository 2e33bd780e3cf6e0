import { Anchor, Button, Center, List, Paper, Stack, Text, Title } from '@mantine/core';
import { Link, useNavigate } from 'react-router-dom';
import { useSignOut } from '../api/use-session.js';
import { paths, signInPath } from './paths.js';
import { useSession } from './session-context.js';

/** The operator has no role in the tenant asked for, or in any tenant. */
export function NoTenantPage({ slug }: { slug?: string }) {
  const me = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" maw={520} w="100%">
        <Stack>
          <Title order={1} size="h2">{slug ? 'No access to this tenant' : 'No tenant'}</Title>
          <Text>
            {slug
              ? `The tenant "${slug}" does not exist, or your account has no role in it.`
              : 'Your account has no role in any tenant yet. Ask an administrator to give you one.'}
          </Text>
          {me.tenants.length > 0 && (
            <>
              <Text>Your tenants:</Text>
              <List>
                {me.tenants.map((tenant) => (
                  <List.Item key={tenant.slug}>
                    <Anchor component={Link} to={paths.home(tenant.slug)}>{tenant.name}</Anchor>
                  </List.Item>
                ))}
              </List>
            </>
          )}
          <Button
            variant="default"
            loading={signOut.isPending}
            onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate(signInPath('/', 'signed-out'), { replace: true }) })}
          >
            Sign out
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
