import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { HwToken, TokenSortKey } from '../../../contract/index.js';
import { paths } from '../../app/paths.js';
import { useTenant } from '../../app/session-context.js';
import { formatDateTime, userLabel } from '../../lib/format.js';
import type { TokenSort } from '../../lib/token-filter.js';
import { SortHeader } from '../ui/SortHeader.js';
import { StatusBadges } from '../ui/StatusBadges.js';
import { TokenRowMenu, type TokenActionHandler } from './TokenRowMenu.js';

const COLUMNS: { label: string; sortKey?: TokenSortKey }[] = [
  { label: 'Serial', sortKey: 'serial' },
  { label: 'Type', sortKey: 'type' },
  { label: 'Vendor / model' },
  { label: 'Status', sortKey: 'status' },
  { label: 'Holder', sortKey: 'holder' },
  { label: 'Last used', sortKey: 'lastUsedAt' },
  { label: 'Created', sortKey: 'createdAt' },
];

/** The token list: one row a token, its context menu at the end of the row. */
export function TokenTable({ tokens, label, sort, onSort, onAction, flashId, dimmed = false }: {
  tokens: HwToken[];
  label: string;
  sort?: TokenSort;
  onSort?: (key: TokenSortKey) => void;
  onAction: TokenActionHandler;
  flashId?: string | null;
  dimmed?: boolean;
}) {
  const tenant = useTenant();
  return (
    <div className="hwt-table-wrap">
      <Table
        striped
        highlightOnHover
        verticalSpacing={6}
        aria-label={label}
        aria-busy={dimmed}
        style={{ opacity: dimmed ? 0.6 : 1, transition: 'opacity 120ms', minWidth: 1000 }}
      >
        <Table.Thead>
          <Table.Tr>
            {COLUMNS.map((column) =>
              column.sortKey && sort && onSort ? (
                <SortHeader
                  key={column.label}
                  label={column.label}
                  active={sort.key === column.sortKey}
                  descending={sort.descending}
                  onSort={() => onSort(column.sortKey as TokenSortKey)}
                />
              ) : (
                <Table.Th key={column.label}>{column.label}</Table.Th>
              ),
            )}
            <Table.Th><span className="hwt-visually-hidden">Actions</span></Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => (
            <Table.Tr key={token.id} className={flashId === token.id ? 'hwt-row-flash' : undefined} data-serial={token.serial}>
              <Table.Td>
                <Anchor size="sm" component={Link} to={paths.token(tenant.slug, token.id)} className="hwt-mono">{token.serial}</Anchor>
              </Table.Td>
              <Table.Td>{token.type.toUpperCase()}</Table.Td>
              <Table.Td>{[token.vendor, token.model].filter(Boolean).join(' / ') || '—'}</Table.Td>
              <Table.Td><StatusBadges token={token} /></Table.Td>
              <Table.Td>
                {token.holder ? (
                  tenant.can('user:read') ? (
                    <Anchor size="sm" component={Link} to={paths.user(tenant.slug, token.holder.id)}>{userLabel(token.holder)}</Anchor>
                  ) : (
                    userLabel(token.holder)
                  )
                ) : (
                  <Text span c="dimmed" size="sm">{token.status === 'compromised' ? '—' : 'in stock'}</Text>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(token.lastUsedAt)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(token.createdAt)}</Table.Td>
              <Table.Td w={48}><TokenRowMenu token={token} onAction={onAction} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
