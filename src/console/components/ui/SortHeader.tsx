import { Table } from '@mantine/core';

/** A column header that sorts: a button inside the th, with aria-sort telling the order. */
export function SortHeader({ label, active, descending, onSort }: {
  label: string;
  active: boolean;
  descending: boolean;
  onSort: () => void;
}) {
  const ariaSort = active ? (descending ? 'descending' : 'ascending') : 'none';
  return (
    <Table.Th aria-sort={ariaSort}>
      <button type="button" className="hwt-sort-button" onClick={onSort}>
        {label}
        <span aria-hidden>{active ? (descending ? '▼' : '▲') : '↕'}</span>
      </button>
    </Table.Th>
  );
}
