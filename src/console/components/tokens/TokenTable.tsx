import { Table } from '@mantine/core';
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

/**
 * A row is plain elements carrying Mantine's own table classes and the data
 * attributes its Table.Tr would set for these table props. A Table.Tr or
 * Table.Td is a component with its own props, context and styles to resolve:
 * the 450 of a page of 50 rows took about 40 ms of the page's render here.
 */
const ROW_LOOK = { 'data-striped': 'odd', 'data-hover': true, 'data-with-row-border': true } as const;
const CELL = Table.classes.td;
const NOWRAP = { whiteSpace: 'nowrap' } as const;

function TokenRow({ token, flash, onAction }: { token: HwToken; flash: boolean; onAction: TokenActionHandler }) {
  const tenant = useTenant();
  return (
    <tr className={[Table.classes.tr, flash ? 'hwt-row-flash' : ''].join(' ')} {...ROW_LOOK} data-serial={token.serial}>
      <td className={CELL}>
        <Link to={paths.token(tenant.slug, token.id)} className="hwt-link hwt-mono">{token.serial}</Link>
      </td>
      <td className={CELL}>{token.type.toUpperCase()}</td>
      <td className={CELL}>{[token.vendor, token.model].filter(Boolean).join(' / ') || '—'}</td>
      <td className={CELL}><StatusBadges token={token} /></td>
      <td className={CELL}>
        {token.holder ? (
          tenant.can('user:read') ? (
            <Link to={paths.user(tenant.slug, token.holder.id)} className="hwt-link">{userLabel(token.holder)}</Link>
          ) : (
            userLabel(token.holder)
          )
        ) : (
          <span className="hwt-dimmed">{token.status === 'compromised' ? '—' : 'in stock'}</span>
        )}
      </td>
      <td className={CELL} style={NOWRAP}>{formatDateTime(token.lastUsedAt)}</td>
      <td className={CELL} style={NOWRAP}>{formatDateTime(token.createdAt)}</td>
      <td className={CELL} style={{ width: 48 }}><TokenRowMenu token={token} onAction={onAction} /></td>
    </tr>
  );
}

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
  return (
    <div className="hwt-table-wrap">
      <Table
        striped={ROW_LOOK['data-striped']}
        highlightOnHover={ROW_LOOK['data-hover']}
        withRowBorders={ROW_LOOK['data-with-row-border']}
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
            <TokenRow key={token.id} token={token} flash={flashId === token.id} onAction={onAction} />
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
