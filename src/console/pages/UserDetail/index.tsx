import { Alert, Anchor, Breadcrumbs, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useUser } from '../../api/use-users.js';
import { paths } from '../../app/paths.js';
import { useTenant } from '../../app/session-context.js';
import { TokenActionModal } from '../../components/tokens/TokenActionModal.js';
import { TokenTable } from '../../components/tokens/TokenTable.js';
import { useTokenDialog } from '../../components/tokens/use-token-dialog.js';
import { EmptyState, ErrorState, LoadingState } from '../../components/ui/QueryStates.js';
import { formatDateTime } from '../../lib/format.js';
import { AssignFromStockDialog } from './AssignFromStockDialog.js';

/** One user: who they are, the tokens they hold, and a token from stock to give them. */
export default function UserDetailPage() {
  const { userId = '' } = useParams();
  const tenant = useTenant();
  const user = useUser(tenant.slug, userId);
  const dialog = useTokenDialog();
  const [assigning, setAssigning] = useState(false);
  return (
    <Stack gap="md">
      <Breadcrumbs aria-label="Breadcrumb">
        <Anchor component={Link} to={paths.users(tenant.slug)}>Users</Anchor>
        <Text span>{user.data?.username ?? '…'}</Text>
      </Breadcrumbs>
      {user.isPending ? (
        <LoadingState label="Loading the user…" />
      ) : user.isError ? (
        <ErrorState error={user.error} onRetry={() => void user.refetch()} title="The user could not be loaded" />
      ) : (
        <>
          <Group justify="space-between">
            <div>
              <Title order={1}>{user.data.displayName ?? user.data.username}</Title>
              <Text c="dimmed">{user.data.username}</Text>
            </div>
            {tenant.can('hwtoken:assign') && (
              <Button onClick={() => setAssigning(true)}>Assign a token from stock</Button>
            )}
          </Group>
          <Card withBorder component="section" aria-label="Details">
            <SimpleGrid cols={4}>
              <Detail label="E-mail" value={user.data.email} />
              <Detail label="External id" value={user.data.externalId} />
              <Detail label="Active tokens" value={`${user.data.activeTokens} of ${user.data.tokenCount}`} />
              <Detail label="Created" value={formatDateTime(user.data.createdAt)} />
            </SimpleGrid>
          </Card>
          {user.data.tokenCount > 0 && user.data.activeTokens === 0 && (
            <Alert color="yellow" variant="light" title="No active token">
              This user holds no active token and cannot pass the second factor.
            </Alert>
          )}
          {dialog.notice && (
            <Alert key={dialog.notice.seq} color="green" variant="light" role="status" withCloseButton closeButtonLabel="Dismiss" onClose={dialog.dismissNotice}>
              {dialog.notice.text}
            </Alert>
          )}
          <Card withBorder component="section" aria-labelledby="user-tokens-title">
            <Title order={2} size="h3" id="user-tokens-title" mb="sm">Tokens</Title>
            {user.data.tokens.length === 0 ? (
              <EmptyState title="This user holds no token." />
            ) : (
              <TokenTable tokens={user.data.tokens} label={`Tokens of ${user.data.username}`} onAction={dialog.open} flashId={dialog.notice?.tokenId} />
            )}
          </Card>
          <AssignFromStockDialog
            user={user.data}
            opened={assigning}
            onClose={() => setAssigning(false)}
            onDone={(token) => dialog.done('assign', token)}
          />
        </>
      )}
      <TokenActionModal dialog={dialog.dialog} onClose={dialog.close} onDone={dialog.done} />
    </Stack>
  );
}

function Detail({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text>{value ?? '—'}</Text>
    </div>
  );
}
