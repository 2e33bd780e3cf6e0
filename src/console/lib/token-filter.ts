import type { TokenSortKey, TokenStatus, TokenType } from '../../contract/index.js';

/**
 * The HW token list's filter, sort and page size, and their two encodings: the
 * address bar (so that a filtered list can be shared and survives a reload)
 * and the API's query string. Unknown or malformed values in the address bar
 * are dropped rather than sent on, so a hand-edited link cannot break the page.
 */
export interface TokenFilter {
  serial: string;
  status: TokenStatus[];
  type: TokenType | '';
  vendor: string;
  model: string;
  /** 'true': held by a user; 'false': in stock. */
  assigned: '' | 'true' | 'false';
  user: string;
  batch: string;
  /** Free text found anywhere in the serial, the holder or the description. */
  q: string;
}

export interface TokenSort {
  key: TokenSortKey;
  descending: boolean;
}

export interface TokenListView {
  filter: TokenFilter;
  sort: TokenSort;
  limit: number;
}

export const TOKEN_STATUSES = ['active', 'disabled', 'compromised'] as const satisfies readonly TokenStatus[];
export const TOKEN_TYPES = ['hotp', 'totp', 'yubico'] as const satisfies readonly TokenType[];
export const SORT_KEYS = ['serial', 'status', 'type', 'createdAt', 'lastUsedAt', 'holder'] as const satisfies readonly TokenSortKey[];
// Fails to compile if the API gains a sort key that the console does not know.
type MissingSortKey = Exclude<TokenSortKey, (typeof SORT_KEYS)[number]>;
const everySortKeyKnown: MissingSortKey extends never ? true : never = true;
void everySortKeyKnown;

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_LIMIT = 50;
export const DEFAULT_SORT: TokenSort = { key: 'createdAt', descending: true };

export const EMPTY_FILTER: TokenFilter = {
  serial: '', status: [], type: '', vendor: '', model: '', assigned: '', user: '', batch: '', q: '',
};

const TEXT_FIELDS = ['serial', 'vendor', 'model', 'user', 'batch', 'q'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
/** The API's bounds on each text filter (TokenListQuery): a longer value from the address bar is cut, not refused. */
export const TEXT_MAX: Record<TextField, number> = { serial: 64, vendor: 100, model: 100, user: 100, batch: 64, q: 100 };

function includes<T extends string>(list: readonly T[], value: string | null): value is T {
  return value !== null && (list as readonly string[]).includes(value);
}

function text(params: URLSearchParams, field: TextField): string {
  return (params.get(field) ?? '').trim().slice(0, TEXT_MAX[field]);
}

export function parseSort(value: string | null): TokenSort {
  if (!value) return DEFAULT_SORT;
  const descending = value.startsWith('-');
  const key = descending ? value.slice(1) : value;
  return includes(SORT_KEYS, key) ? { key, descending } : DEFAULT_SORT;
}

export function formatSort(sort: TokenSort): string {
  return `${sort.descending ? '-' : ''}${sort.key}`;
}

/** Clicking a column header: a new column sorts ascending, the same column flips. */
export function toggleSort(current: TokenSort, key: TokenSortKey): TokenSort {
  return current.key === key ? { key, descending: !current.descending } : { key, descending: false };
}

export function parseTokenListParams(params: URLSearchParams): TokenListView {
  const status = TOKEN_STATUSES.filter((s) => params.getAll('status').includes(s));
  const type = params.get('type');
  const assigned = params.get('assigned');
  const limit = Number(params.get('limit'));
  const filter: TokenFilter = {
    ...EMPTY_FILTER,
    status,
    type: includes(TOKEN_TYPES, type) ? type : '',
    assigned: assigned === 'true' || assigned === 'false' ? assigned : '',
  };
  for (const field of TEXT_FIELDS) filter[field] = text(params, field);
  return {
    filter,
    sort: parseSort(params.get('sort')),
    limit: includes(PAGE_SIZES.map(String), String(limit)) ? limit : DEFAULT_LIMIT,
  };
}

function appendFilter(params: URLSearchParams, filter: TokenFilter): void {
  const serial = filter.serial.trim();
  if (serial) params.set('serial', serial);
  for (const status of TOKEN_STATUSES) if (filter.status.includes(status)) params.append('status', status);
  if (filter.type) params.set('type', filter.type);
  for (const field of ['vendor', 'model', 'user', 'batch', 'q'] as const) {
    const value = filter[field].trim();
    if (value) params.set(field, value);
  }
  if (filter.assigned) params.set('assigned', filter.assigned);
}

/** The address-bar encoding: only what differs from the defaults, in a stable order. */
export function tokenListSearchParams(view: TokenListView): URLSearchParams {
  const params = new URLSearchParams();
  appendFilter(params, view.filter);
  const sort = formatSort(view.sort);
  if (sort !== formatSort(DEFAULT_SORT)) params.set('sort', sort);
  if (view.limit !== DEFAULT_LIMIT) params.set('limit', String(view.limit));
  return params;
}

/** The query of GET …/hw-tokens for one page. */
export function tokenApiQuery(view: TokenListView, cursor: string | null): URLSearchParams {
  const params = new URLSearchParams();
  appendFilter(params, view.filter);
  params.set('sort', formatSort(view.sort));
  params.set('limit', String(view.limit));
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** The query of GET …/hw-tokens.csv: the same filter and order, every page. */
export function tokenCsvQuery(view: TokenListView): URLSearchParams {
  const params = new URLSearchParams();
  appendFilter(params, view.filter);
  params.set('sort', formatSort(view.sort));
  return params;
}

export function isFilterEmpty(filter: TokenFilter): boolean {
  const params = new URLSearchParams();
  appendFilter(params, filter);
  return params.size === 0;
}
