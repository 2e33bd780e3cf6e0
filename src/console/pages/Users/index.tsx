import { Anchor, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useUserPage } from '../../api/use-users.js';
import { paths } from '../../app/paths.js';
import { useTenant } from '../../app/session-context.js';
import { Pager } from '../../components/ui/Pager.js';
import { EmptyState, ErrorState, LoadingState } from '../../components/ui/QueryStates.js';
import { currentCursor, FIRST_PAGE, nextPage, previousPage, type CursorStack } from '../../lib/cursor-stack.js';
import { formatDateTime, formatTotal } from '../../lib/format.js';
import { CreateUserDialog } from './CreateUserDialog.js';

/** Users: search by name, open one to see and assign their tokens. */
export default function UsersPage() {
  const tenant = useTenant();
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').slice(0, 100);
  const [draft, setDraft] = useState(q);
  const [paging, setPaging] = useState<{ q: string; stack: CursorStack }>({ q, stack: FIRST_PAGE });
  const stack = paging.q === q ? paging.stack : FIRST_PAGE;
  const users = useUserPage(tenant.slug, q, currentCursor(stack));
  const [creating, setCreating] = useState(false);

  const search = (event: FormEvent) => {
    event.preventDefault();
    setParams(draft.trim() ? { q: draft.trim() } : {}, { flushSync: true });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>Users</Title>
        {tenant.can('user:write') && <Button variant="default" onClick={() => setCreating(true)}>New user</Button>}
      </Group>
      <Paper withBorder p="md" component="form" role="search" aria-label="Search users" onSubmit={search}>
        <Group align="flex-end">
          <TextInput
            label="Name or username"
            value={draft}
            onChange={(event) => setDraft(event.currentTarget.value)}
            w={360}
            autoComplete="off"
          />
          <Button type="submit">SUBMIT</Button>
          <Button variant="default" onClick={() => { setDraft(''); setParams({}, { flushSync: true }); }}>RESET</Button>
        </Group>
      </Paper>
      {users.isPending ? (
        <LoadingState label="Loading the users…" />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} title="The users could not be loaded" />
      ) : users.data.items.length === 0 ? (
        <EmptyState title={q ? `No user matches “${q}”.` : 'There is no user in this tenant yet.'} />
      ) : (
        <>
          <Text aria-live="polite" fw={500}>{formatTotal(users.data.total, users.data.totalCapped)} users</Text>
          <div className="hwt-table-wrap">
            <Table striped highlightOnHover aria-label="Users" style={{ opacity: users.isPlaceholderData ? 0.6 : 1 }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Username</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>E-mail</Table.Th>
                  <Table.Th>External id</Table.Th>
                  <Table.Th>Active tokens</Table.Th>
                  <Table.Th>Created</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.items.map((user) => (
                  <Table.Tr key={user.id}>
                    <Table.Td><Anchor size="sm" component={Link} to={paths.user(tenant.slug, user.id)}>{user.username}</Anchor></Table.Td>
                    <Table.Td>{user.displayName ?? '—'}</Table.Td>
                    <Table.Td>{user.email ?? '—'}</Table.Td>
                    <Table.Td>{user.externalId ?? '—'}</Table.Td>
                    <Table.Td>{user.activeTokens} of {user.tokenCount}</Table.Td>
                    <Table.Td>{formatDateTime(user.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
          <Pager
            label="Pages of users"
            page={stack.length}
            hasPrevious={stack.length > 1}
            hasNext={Boolean(users.data.nextCursor)}
            onPrevious={() => setPaging({ q, stack: previousPage(stack) })}
            onNext={() => setPaging({ q, stack: nextPage(stack, users.data?.nextCursor ?? null) })}
            busy={users.isFetching}
          />
        </>
      )}
      <CreateUserDialog tenant={tenant.slug} opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
