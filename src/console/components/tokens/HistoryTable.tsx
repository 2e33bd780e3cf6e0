import { Anchor, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTokenHistory } from '../../api/use-tokens.js';
import { paths } from '../../app/paths.js';
import { useTenant } from '../../app/session-context.js';
import { currentCursor, FIRST_PAGE, nextPage, previousPage } from '../../lib/cursor-stack.js';
import { formatDateTime } from '../../lib/format.js';
import { Pager } from '../ui/Pager.js';
import { EmptyState, ErrorState, LoadingState } from '../ui/QueryStates.js';
import { OutcomeBadge } from '../ui/StatusBadges.js';

/** A token's audit events, newest first. */
export function HistoryTable({ tokenId, serial, withDetailLink = false }: { tokenId: string; serial: string; withDetailLink?: boolean }) {
  const tenant = useTenant();
  const [stack, setStack] = useState(FIRST_PAGE);
  const history = useTokenHistory(tenant.slug, tokenId, currentCursor(stack));
  let body;
  if (history.isPending) body = <LoadingState label="Loading the history…" />;
  else if (history.isError) body = <ErrorState error={history.error} onRetry={() => void history.refetch()} />;
  else if (history.data.items.length === 0) body = <EmptyState title="No event recorded for this token yet." />;
  else
    body = (
      <div className="hwt-table-wrap">
        <Table striped highlightOnHover aria-label={`History of token ${serial}`} style={{ opacity: history.isPlaceholderData ? 0.6 : 1 }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Outcome</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>User</Table.Th>
              <Table.Th>Reason / detail</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.data.items.map((event) => (
              <Table.Tr key={event.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.at, true)}</Table.Td>
                <Table.Td>{event.action}</Table.Td>
                <Table.Td><OutcomeBadge outcome={event.outcome} /></Table.Td>
                <Table.Td>{event.actor}</Table.Td>
                <Table.Td>{event.username ?? '—'}</Table.Td>
                <Table.Td className="hwt-wrap">
                  {[event.reason, event.detail].filter(Boolean).join(' · ') || '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    );
  return (
    <Stack gap="sm">
      {body}
      <Group justify={withDetailLink ? 'space-between' : 'flex-end'}>
        {withDetailLink && (
          <Anchor component={Link} to={paths.token(tenant.slug, tokenId)} size="sm">Open the token detail</Anchor>
        )}
        {history.data && (stack.length > 1 || history.data.nextCursor) ? (
          <Pager
            label={`Pages of the history of token ${serial}`}
            page={stack.length}
            hasPrevious={stack.length > 1}
            hasNext={Boolean(history.data.nextCursor)}
            onPrevious={() => setStack(previousPage)}
            onNext={() => setStack((s) => nextPage(s, history.data?.nextCursor ?? null))}
            busy={history.isFetching}
          />
        ) : (
          <Text size="xs" c="dimmed" />
        )}
      </Group>
    </Stack>
  );
}
