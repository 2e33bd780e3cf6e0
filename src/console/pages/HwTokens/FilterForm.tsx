import { Badge, Button, Checkbox, CloseButton, Group, NativeSelect, Paper, SimpleGrid, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { EMPTY_FILTER, TEXT_MAX, TOKEN_STATUSES, type TokenFilter } from '../../lib/token-filter.js';

const TYPE_OPTIONS = [
  { value: '', label: 'Any type' },
  { value: 'hotp', label: 'HOTP (counter)' },
  { value: 'totp', label: 'TOTP (time)' },
  { value: 'yubico', label: 'Yubico OTP' },
];
const ASSIGNED_OPTIONS = [
  { value: '', label: 'Any' },
  { value: 'true', label: 'Assigned' },
  { value: 'false', label: 'Not assigned (stock)' },
];

/**
 * The filter of the token list (SPEC §10 step 3). It edits a draft; SUBMIT
 * puts the draft in the address bar, RESET clears it. The parent remounts the
 * form (key) when the address bar changes, so back/forward refill it.
 */
export function FilterForm({ initial, onSubmit, onReset }: {
  initial: TokenFilter;
  onSubmit: (filter: TokenFilter) => void;
  onReset: () => void;
}) {
  const [draft, setDraft] = useState<TokenFilter>(initial);
  const set = <K extends keyof TokenFilter>(field: K, value: TokenFilter[K]) => setDraft((d) => ({ ...d, [field]: value }));
  const text = (field: 'serial' | 'vendor' | 'model' | 'user' | 'q') => ({
    value: draft[field],
    maxLength: TEXT_MAX[field],
    autoComplete: 'off',
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => set(field, event.currentTarget.value),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(draft);
  };
  return (
    <Paper withBorder p="md" component="form" role="search" aria-label="Filter the HW tokens" onSubmit={submit}>
      <SimpleGrid cols={{ base: 4, xl: 8 }} spacing="sm" verticalSpacing="xs">
        <TextInput label="Serial" placeholder="Starts with…" {...text('serial')} />
        <NativeSelect label="Type" data={TYPE_OPTIONS} value={draft.type}
          onChange={(event) => set('type', event.currentTarget.value as TokenFilter['type'])} />
        <TextInput label="Vendor" {...text('vendor')} />
        <TextInput label="Model" {...text('model')} />
        <NativeSelect label="Assigned" data={ASSIGNED_OPTIONS} value={draft.assigned}
          onChange={(event) => set('assigned', event.currentTarget.value as TokenFilter['assigned'])} />
        <TextInput label="User" placeholder="Starts with…" {...text('user')} />
        <TextInput label="Search" placeholder="Serial, holder or description contains…" style={{ gridColumn: 'span 2' }} {...text('q')} />
      </SimpleGrid>
      <Group justify="space-between" mt="sm" align="center">
        <Checkbox.Group
          value={draft.status}
          onChange={(value) => set('status', TOKEN_STATUSES.filter((s) => value.includes(s)))}
          label="Status"
          styles={{ root: { display: 'flex', alignItems: 'center', gap: 16 }, label: { marginBottom: 0 } }}
        >
          <Group gap="lg">
            {TOKEN_STATUSES.map((status) => (
              <Checkbox key={status} value={status} label={status[0]?.toUpperCase() + status.slice(1)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group gap="xs">
          {draft.batch && (
            <Badge variant="light" size="lg" tt="none" rightSection={
              <CloseButton size="xs" aria-label="Remove the import batch filter" onClick={() => set('batch', '')} />
            }>
              Import batch {draft.batch}
            </Badge>
          )}
          <Button type="submit">SUBMIT</Button>
          <Button
            type="button"
            variant="default"
            onClick={() => {
              setDraft(EMPTY_FILTER);
              onReset();
            }}
          >
            RESET
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
