import { Anchor, Button, Code, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuditPage } from '../../api/use-audit.js';
import { paths } from '../../app/paths.js';
import { useTenant } from '../../app/session-context.js';
import { Pager } from '../../components/ui/Pager.js';
import { EmptyState, ErrorState, LoadingState } from '../../components/ui/QueryStates.js';
import { OutcomeBadge } from '../../components/ui/StatusBadges.js';
import { auditApiQuery, auditSearchParams, EMPTY_AUDIT_FILTER, parseAuditParams, type AuditFilter } from '../../lib/audit-filter.js';
import { currentCursor, FIRST_PAGE, nextPage, previousPage, type CursorStack } from '../../lib/cursor-stack.js';
import { formatDateTime } from '../../lib/format.js';

/** The audit trail, newest first, filtered by action, actor, token, user and time. */
export default function AuditPage() {
  const tenant = useTenant();
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => parseAuditParams(params), [params]);
  const filterKey = auditSearchParams(filter).toString();
  const [paging, setPaging] = useState<{ key: string; stack: CursorStack }>({ key: filterKey, stack: FIRST_PAGE });
  const stack = paging.key === filterKey ? paging.stack : FIRST_PAGE;
  const audit = useAuditPage(tenant.slug, auditApiQuery(filter, currentCursor(stack)));

  return (
    <Stack gap="md">
      <Title order={1}>Audit</Title>
      <AuditFilterForm key={filterKey} initial={filter} onSubmit={(next) => setParams(auditSearchParams(next), { flushSync: true })} />
      {audit.isPending ? (
        <LoadingState label="Loading the audit trail…" />
      ) : audit.isError ? (
        <ErrorState error={audit.error} onRetry={() => void audit.refetch()} title="The audit trail could not be loaded" />
      ) : audit.data.items.length === 0 ? (
        <EmptyState title={filterKey ? 'No event matches this filter.' : 'No event recorded yet.'} />
      ) : (
        <>
          <div className="hwt-table-wrap">
            <Table striped highlightOnHover aria-label="Audit events, newest first" style={{ opacity: audit.isPlaceholderData ? 0.6 : 1, minWidth: 1000 }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Token</Table.Th>
                  <Table.Th>User</Table.Th>
                  <Table.Th>Reason / detail</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {audit.data.items.map((event) => (
                  <Table.Tr key={event.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.at, true)}</Table.Td>
                    <Table.Td>{event.action}</Table.Td>
                    <Table.Td><OutcomeBadge outcome={event.outcome} /></Table.Td>
                    <Table.Td>{event.actor}</Table.Td>
                    <Table.Td>
                      {event.tokenId ? (
                        <Anchor size="sm" component={Link} to={paths.token(tenant.slug, event.tokenId)} className="hwt-mono hwt-nowrap">{event.serial ?? event.tokenId}</Anchor>
                      ) : (event.serial ?? '—')}
                    </Table.Td>
                    <Table.Td>
                      {event.userId && tenant.can('user:read') ? (
                        <Anchor size="sm" component={Link} to={paths.user(tenant.slug, event.userId)}>{event.username ?? event.userId}</Anchor>
                      ) : (event.username ?? '—')}
                    </Table.Td>
                    <Table.Td className="hwt-wrap">{[event.reason, event.detail].filter(Boolean).join(' · ') || '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              Chain head: event {audit.data.head.seq}, hash <Code>{audit.data.head.hash.slice(0, 16)}…</Code>
            </Text>
            <Pager
              label="Pages of the audit trail"
              page={stack.length}
              hasPrevious={stack.length > 1}
              hasNext={Boolean(audit.data.nextCursor)}
              onPrevious={() => setPaging({ key: filterKey, stack: previousPage(stack) })}
              onNext={() => setPaging({ key: filterKey, stack: nextPage(stack, audit.data?.nextCursor ?? null) })}
              busy={audit.isFetching}
            />
          </Group>
        </>
      )}
    </Stack>
  );
}

function AuditFilterForm({ initial, onSubmit }: { initial: AuditFilter; onSubmit: (filter: AuditFilter) => void }) {
  const [draft, setDraft] = useState(initial);
  const bind = (field: keyof AuditFilter) => ({
    value: draft[field],
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => {
      const value = event.currentTarget.value;
      setDraft((d) => ({ ...d, [field]: value }));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(draft);
  };
  return (
    <Paper withBorder p="md" component="form" role="search" aria-label="Filter the audit trail" onSubmit={submit}>
      <SimpleGrid cols={{ base: 3, xl: 6 }} spacing="sm">
        <TextInput label="Action" description="assign, disable, compromise…" autoComplete="off" {...bind('action')} />
        <TextInput label="Actor" description="Operator or API key" autoComplete="off" {...bind('actor')} />
        <TextInput label="Token" description="Serial or id" autoComplete="off" {...bind('token')} />
        <TextInput label="User" description="Username or id" autoComplete="off" {...bind('user')} />
        <TextInput label="From" description="Local time" type="datetime-local" {...bind('from')} />
        <TextInput label="To" description="Local time" type="datetime-local" {...bind('to')} />
      </SimpleGrid>
      <Group justify="flex-end" mt="sm">
        <Button type="submit">SUBMIT</Button>
        <Button variant="default" onClick={() => { setDraft(EMPTY_AUDIT_FILTER); onSubmit(EMPTY_AUDIT_FILTER); }}>RESET</Button>
      </Group>
    </Paper>
  );
}
