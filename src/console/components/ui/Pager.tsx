import { Button, Group, Text } from '@mantine/core';

/** Previous / next through a keyset-paged list: the API hands the next cursor, the console remembers the way back. */
export function Pager({ label, page, hasPrevious, hasNext, onPrevious, onNext, busy }: {
  label: string;
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  busy?: boolean;
}) {
  return (
    <Group justify="flex-end" gap="sm" role="navigation" aria-label={label}>
      <Button variant="default" size="xs" disabled={!hasPrevious} onClick={onPrevious}>Previous page</Button>
      <Text size="sm" c="dimmed" aria-live="polite">Page {page}{busy ? ' (loading…)' : ''}</Text>
      <Button variant="default" size="xs" disabled={!hasNext || busy} onClick={onNext}>Next page</Button>
    </Group>
  );
}
