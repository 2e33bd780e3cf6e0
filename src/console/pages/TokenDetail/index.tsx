import { Alert, Anchor, Breadcrumbs, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { HwToken } from '../../../contract/index.js';
import { useToken } from '../../api/use-tokens.js';
import { paths } from '../../app/paths.js';
import { useTenant } from '../../app/session-context.js';
import { HistoryTable } from '../../components/tokens/HistoryTable.js';
import { TokenActionModal } from '../../components/tokens/TokenActionModal.js';
import { TokenActionButtons } from '../../components/tokens/TokenRowMenu.js';
import { useTokenDialog } from '../../components/tokens/use-token-dialog.js';
import { ErrorState, LoadingState } from '../../components/ui/QueryStates.js';
import { StatusBadges } from '../../components/ui/StatusBadges.js';
import { formatDateTime, userLabel } from '../../lib/format.js';

/** One token: every field, its holder, its history, and the actions it allows. */
export default function TokenDetailPage() {
  const { tokenId = '' } = useParams();
  const tenant = useTenant();
  const token = useToken(tenant.slug, tokenId);
  const dialog = useTokenDialog();
  return (
    <Stack gap="md">
      <Breadcrumbs aria-label="Breadcrumb">
        <Anchor component={Link} to={`${paths.home(tenant.slug)}/devices`}>Devices</Anchor>
        <Anchor component={Link} to={paths.hwTokens(tenant.slug)}>HW tokens</Anchor>
        <Text span>{token.data?.serial ?? '…'}</Text>
      </Breadcrumbs>
      {token.isPending ? (
        <LoadingState label="Loading the token…" />
      ) : token.isError ? (
        <ErrorState error={token.error} onRetry={() => void token.refetch()} title="The token could not be loaded" />
      ) : (
        <>
          <Group justify="space-between" align="center">
            <Group gap="md">
              <Title order={1} className="hwt-mono">{token.data.serial}</Title>
              <StatusBadges token={token.data} />
            </Group>
            <Group gap="xs">
              <TokenActionButtons token={token.data} onAction={dialog.open} />
            </Group>
          </Group>
          {dialog.notice && (
            <Alert key={dialog.notice.seq} color="green" variant="light" role="status" withCloseButton closeButtonLabel="Dismiss" onClose={dialog.dismissNotice}>
              {dialog.notice.text}
            </Alert>
          )}
          <TokenFields token={token.data} />
          <Card withBorder component="section" aria-labelledby="history-title">
            <Title order={2} size="h3" id="history-title" mb="sm">History</Title>
            <HistoryTable tokenId={token.data.id} serial={token.data.serial} />
          </Card>
        </>
      )}
      <TokenActionModal dialog={dialog.dialog} onClose={dialog.close} onDone={dialog.done} />
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" component="dt">{label}</Text>
      <Text component="dd" m={0} className="hwt-wrap">{children}</Text>
    </div>
  );
}

function TokenFields({ token }: { token: HwToken }) {
  const tenant = useTenant();
  const person = (user: HwToken['holder']) =>
    user ? (
      tenant.can('user:read') ? <Anchor component={Link} to={paths.user(tenant.slug, user.id)}>{userLabel(user)}</Anchor> : userLabel(user)
    ) : '—';
  return (
    <Card withBorder component="section" aria-labelledby="fields-title">
      <Title order={2} size="h3" id="fields-title" mb="sm">Details</Title>
      <SimpleGrid component="dl" cols={4} spacing="md" verticalSpacing="sm" m={0}>
        <Field label="Type">{token.type.toUpperCase()}</Field>
        <Field label="Vendor">{token.vendor ?? '—'}</Field>
        <Field label="Model">{token.model ?? '—'}</Field>
        <Field label="Description">{token.description ?? '—'}</Field>
        <Field label="Algorithm">{token.algorithm ?? '—'}</Field>
        <Field label="Digits">{token.digits ?? '—'}</Field>
        <Field label="Period">{token.period ? `${token.period} s` : '—'}</Field>
        <Field label="Reset (resync)">{token.capabilities.reset ? 'Supported' : 'Not supported by this type'}</Field>
        <Field label="Holder">{person(token.holder)}</Field>
        <Field label="Assigned">{formatDateTime(token.assignedAt)}</Field>
        <Field label="Last used">{formatDateTime(token.lastUsedAt)}</Field>
        <Field label="Failed attempts">{token.failCount}</Field>
        <Field label="Locked until">{token.locked ? formatDateTime(token.lockedUntil) : 'Not locked'}</Field>
        <Field label="Import batch">
          {token.batchId ? (
            <Anchor component={Link} to={paths.hwTokens(tenant.slug, new URLSearchParams({ batch: token.batchId }).toString())}>{token.batchId}</Anchor>
          ) : '—'}
        </Field>
        <Field label="Created">{formatDateTime(token.createdAt)}</Field>
        <Field label="Updated">{formatDateTime(token.updatedAt)}</Field>
        {token.status === 'compromised' && (
          <>
            <Field label="Compromised">{formatDateTime(token.compromisedAt)}</Field>
            <Field label="Compromised by">{token.compromisedBy ?? '—'}</Field>
            <Field label="Reason">{token.compromiseReason ?? '—'}</Field>
            <Field label="Holder when compromised">{person(token.formerHolder)}</Field>
          </>
        )}
      </SimpleGrid>
    </Card>
  );
}
