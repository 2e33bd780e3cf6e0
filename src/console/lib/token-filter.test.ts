import { describe, expect, it } from 'vitest';
import { TokenListQuery } from '../../contract/tokens.js';
import {
  DEFAULT_LIMIT, DEFAULT_SORT, EMPTY_FILTER, isFilterEmpty, parseSort, parseTokenListParams, TEXT_MAX, tokenApiQuery,
  tokenCsvQuery, tokenListSearchParams, toggleSort, type TokenListView,
} from './token-filter.js';

const view = (patch: Partial<TokenListView['filter']> = {}, rest: Partial<TokenListView> = {}): TokenListView => ({
  filter: { ...EMPTY_FILTER, ...patch },
  sort: DEFAULT_SORT,
  limit: DEFAULT_LIMIT,
  ...rest,
});

describe('token filter in the address bar', () => {
  it('reads an empty address bar as no filter, newest first, 50 a page', () => {
    expect(parseTokenListParams(new URLSearchParams(''))).toEqual(view());
    expect(tokenListSearchParams(view()).toString()).toBe('');
  });

  it('round-trips every field', () => {
    const filled = view(
      { serial: 'SN-1', status: ['active', 'disabled'], type: 'totp', vendor: 'Feitian', model: 'c200', assigned: 'true', user: 'ali', batch: 'b1', q: 'lost bag' },
      { sort: { key: 'serial', descending: false }, limit: 100 },
    );
    const url = tokenListSearchParams(filled).toString();
    expect(url).toBe('serial=SN-1&status=active&status=disabled&type=totp&vendor=Feitian&model=c200&user=ali&batch=b1&q=lost+bag&assigned=true&sort=serial&limit=100');
    expect(parseTokenListParams(new URLSearchParams(url))).toEqual(filled);
  });

  it('writes statuses in a stable order whatever order they were ticked in', () => {
    const url = tokenListSearchParams(view({ status: ['compromised', 'active'] })).toString();
    expect(url).toBe('status=active&status=compromised');
  });

  it('trims text and leaves out blank fields', () => {
    expect(tokenListSearchParams(view({ serial: '  SN ', vendor: '   ', q: '  ' })).toString()).toBe('serial=SN');
  });

  it('keeps the free text as typed, inner spaces and symbols included', () => {
    const url = tokenListSearchParams(view({ q: ' 50% off & more ' })).toString();
    expect(url).toBe('q=50%25+off+%26+more');
    expect(parseTokenListParams(new URLSearchParams(url)).filter).toEqual({ ...EMPTY_FILTER, q: '50% off & more' });
  });

  it('counts the free text alone as a filter', () => {
    expect(isFilterEmpty({ ...EMPTY_FILTER, q: 'alice' })).toBe(false);
  });

  it('drops values a hand-edited link may carry that the API would refuse', () => {
    const parsed = parseTokenListParams(
      new URLSearchParams('status=lost&status=active&type=sms&assigned=maybe&sort=-secret&limit=7&serial=' + 'x'.repeat(300)),
    );
    expect(parsed.filter.status).toEqual(['active']);
    expect(parsed.filter.type).toBe('');
    expect(parsed.filter.assigned).toBe('');
    expect(parsed.filter.serial).toHaveLength(64);
    expect(parsed.sort).toEqual(DEFAULT_SORT);
    expect(parsed.limit).toBe(DEFAULT_LIMIT);
  });

  it('tells an empty filter from a set one; sort and page size are not a filter', () => {
    expect(isFilterEmpty(EMPTY_FILTER)).toBe(true);
    expect(isFilterEmpty({ ...EMPTY_FILTER, serial: ' ' })).toBe(true);
    expect(isFilterEmpty({ ...EMPTY_FILTER, assigned: 'false' })).toBe(false);
  });
});

describe('text filter bounds', () => {
  it('are those of the API, so that a long value from the address bar is cut rather than refused', () => {
    const schema = TokenListQuery.properties as Record<string, { maxLength?: number }>;
    for (const [field, max] of Object.entries(TEXT_MAX)) expect(schema[field]?.maxLength, field).toBe(max);
  });

  it('cut each text field of a hand-edited link at its own bound', () => {
    const long = 'x'.repeat(300);
    const { filter } = parseTokenListParams(new URLSearchParams({ serial: long, batch: long, q: long, vendor: long }));
    expect([filter.serial.length, filter.batch.length, filter.q.length, filter.vendor.length]).toEqual([64, 64, 100, 100]);
  });
});

describe('token sort', () => {
  it('parses ascending and descending keys', () => {
    expect(parseSort('holder')).toEqual({ key: 'holder', descending: false });
    expect(parseSort('-lastUsedAt')).toEqual({ key: 'lastUsedAt', descending: true });
    expect(parseSort('vendor')).toEqual(DEFAULT_SORT);
  });

  it('sorts a new column ascending and flips the current one', () => {
    expect(toggleSort(DEFAULT_SORT, 'serial')).toEqual({ key: 'serial', descending: false });
    expect(toggleSort({ key: 'serial', descending: false }, 'serial')).toEqual({ key: 'serial', descending: true });
  });
});

describe('token API query', () => {
  it('always names the sort and page size, and adds the cursor', () => {
    const query = tokenApiQuery(view({ assigned: 'false' }), 'abc');
    expect(query.toString()).toBe('assigned=false&sort=-createdAt&limit=50&cursor=abc');
  });

  it('sends the free text to the API as q', () => {
    expect(tokenApiQuery(view({ q: 'Keller' }), null).get('q')).toBe('Keller');
  });

  it('exports with the same filter and order but no paging', () => {
    const query = tokenCsvQuery(view({ status: ['disabled'], user: 'bob', q: 'stolen' }, { limit: 200 }));
    expect(query.toString()).toBe('status=disabled&user=bob&q=stolen&sort=-createdAt');
  });
});
