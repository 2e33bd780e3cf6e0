import { Alert, Button, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { TokenSortKey } from '../../../contract/index.js';
import { tokenKeys } from '../../api/query-keys.js';
import { tokenCsvUrl, useTokenPage } from '../../api/use-tokens.js';
import { useTenant } from '../../app/session-context.js';
import { TokenActionModal } from '../../components/tokens/TokenActionModal.js';
import { TokenTable } from '../../components/tokens/TokenTable.js';
import { useTokenDialog } from '../../components/tokens/use-token-dialog.js';
import { Pager } from '../../components/ui/Pager.js';
import { EmptyState, ErrorState, LoadingState } from '../../components/ui/QueryStates.js';
import { currentCursor, FIRST_PAGE, nextPage, previousPage, type CursorStack } from '../../lib/cursor-stack.js';
import { formatTotal } from '../../lib/format.js';
import {
  EMPTY_FILTER, isFilterEmpty, PAGE_SIZES, parseTokenListParams, tokenApiQuery, tokenCsvQuery, tokenListSearchParams,
  toggleSort, type TokenFilter, type TokenListView,
} from '../../lib/token-filter.js';
import { FilterForm } from './FilterForm.js';
import { ImportDialog } from './ImportDialog.js';

function countLine(total: number, capped: boolean, filtered: boolean): string {
  const one = total === 1 && !capped;
  return `${formatTotal(total, capped)} ${one ? 'token' : 'tokens'}${filtered ? (one ? ' matches the filter' : ' match the filter') : ''}`;
}

/** Devices › HW tokens: filter, list, act on a row. */
export default function HwTokensTab() {
  const tenant = useTenant();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => parseTokenListParams(params), [params]);
  const viewKey = tokenListSearchParams(view).toString();
  const [paging, setPaging] = useState<{ viewKey: string; stack: CursorStack }>({ viewKey, stack: FIRST_PAGE });
  // A new filter, sort or page size starts again from the first page.
  const stack = paging.viewKey === viewKey ? paging.stack : FIRST_PAGE;
  const setStack = (update: (s: CursorStack) => CursorStack) => setPaging({ viewKey, stack: update(stack) });
  const page = useTokenPage(tenant.slug, tokenApiQuery(view, currentCursor(stack)));
  const dialog = useTokenDialog();
  const [importOpen, setImportOpen] = useState(false);

  // The address bar is the truth: a click that lands before React has rendered the last navigation still builds on it.
  const latestView = () => parseTokenListParams(new URLSearchParams(window.location.search));
  const show = (next: TokenListView) => {
    if (tokenListSearchParams(next).toString() === tokenListSearchParams(latestView()).toString()) {
      // The same filter again: the operator wants fresh rows.
      setPaging({ viewKey, stack: FIRST_PAGE });
      void queryClient.invalidateQueries({ queryKey: tokenKeys.lists(tenant.slug) });
    } else {
      // Rendered at once, not in a transition: the list shows it is loading the moment the address changes.
      setParams(tokenListSearchParams(next), { flushSync: true });
    }
    dialog.dismissNotice();
  };
  const applyFilter = (filter: TokenFilter) => show({ ...latestView(), filter });
  const sortBy = (key: TokenSortKey) => {
    const latest = latestView();
    show({ ...latest, sort: toggleSort(latest.sort, key) });
  };

  return (
    <Stack gap="md">
      <FilterForm
        key={viewKey}
        initial={view.filter}
        onSubmit={applyFilter}
        onReset={() => applyFilter(EMPTY_FILTER)}
      />
      <Group justify="space-between">
        <Text aria-live="polite" fw={500}>
          {page.data ? countLine(page.data.total, page.data.totalCapped, !isFilterEmpty(view.filter)) : ' '}
        </Text>
        <Group gap="sm">
          <NativeSelect
            aria-label="Tokens per page"
            size="xs"
            data={PAGE_SIZES.map((size) => ({ value: String(size), label: `${size} a page` }))}
            value={String(view.limit)}
            onChange={(event) => show({ ...latestView(), limit: Number(event.currentTarget.value) })}
          />
          <Button component="a" href={tokenCsvUrl(tenant.slug, tokenCsvQuery(view))} download variant="default" size="xs">
            Export CSV
          </Button>
          {tenant.can('hwtoken:import') && (
            <Button size="xs" variant="default" onClick={() => setImportOpen(true)}>Import seed file</Button>
          )}
        </Group>
      </Group>
      {dialog.notice && (
        <Alert key={dialog.notice.seq} color="green" variant="light" role="status" withCloseButton closeButtonLabel="Dismiss" onClose={dialog.dismissNotice}>
          {dialog.notice.text}
        </Alert>
      )}
      {page.isPending ? (
        <LoadingState label="Loading the HW tokens…" />
      ) : page.isError ? (
        <ErrorState error={page.error} onRetry={() => void page.refetch()} title="The HW tokens could not be loaded" />
      ) : page.data.items.length === 0 ? (
        isFilterEmpty(view.filter) ? (
          <EmptyState title="There is no HW token in this tenant yet.">
            {tenant.can('hwtoken:import') && <Button variant="light" onClick={() => setImportOpen(true)}>Import seed file</Button>}
          </EmptyState>
        ) : (
          <EmptyState title="No HW token matches this filter.">
            <Button variant="default" onClick={() => applyFilter(EMPTY_FILTER)}>RESET</Button>
          </EmptyState>
        )
      ) : (
        <>
          <TokenTable
            tokens={page.data.items}
            label="HW tokens"
            sort={view.sort}
            onSort={sortBy}
            onAction={dialog.open}
            flashId={dialog.notice?.tokenId}
            dimmed={page.isPlaceholderData}
          />
          <Pager
            label="Pages of HW tokens"
            page={stack.length}
            hasPrevious={stack.length > 1}
            hasNext={Boolean(page.data.nextCursor)}
            onPrevious={() => setStack(previousPage)}
            onNext={() => setStack((s) => nextPage(s, page.data?.nextCursor ?? null))}
            busy={page.isFetching}
          />
        </>
      )}
      <TokenActionModal dialog={dialog.dialog} onClose={dialog.close} onDone={dialog.done} />
      <ImportDialog
        tenant={tenant.slug}
        opened={importOpen}
        onClose={() => setImportOpen(false)}
        onShowBatch={(batch) => show({ ...latestView(), filter: { ...EMPTY_FILTER, batch } })}
      />
    </Stack>
  );
}
