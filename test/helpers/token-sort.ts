import { expect } from 'vitest';

/** The sort value of a token (API JSON) for each documented sort key (SPEC §6). */
export const SORT_VALUE: Record<string, (x: any) => string | number> = {
  serial: (x) => x.serial.toLowerCase(),
  status: (x) => x.status,
  type: (x) => x.type,
  createdAt: (x) => Date.parse(x.createdAt),
  lastUsedAt: (x) => (x.lastUsedAt ? Date.parse(x.lastUsedAt) : 0),
  holder: (x) => x.holder?.username.toLowerCase() ?? '',
};

export const SORTS = Object.keys(SORT_VALUE).flatMap((key) => [key, `-${key}`]);

/** What orders tokens with equal sort values: the serial for status and type, the id for the others. */
const TIEBREAK: Record<string, (x: any) => string> = {
  status: SORT_VALUE.serial as (x: any) => string,
  type: SORT_VALUE.serial as (x: any) => string,
};

/** Tokens in the order `sort` (e.g. "-holder") gives them: by its value, then by its tiebreak, both in its direction. */
export function sortedAs(items: any[], sort: string): any[] {
  const key = sort.replace(/^-/, '');
  const value = SORT_VALUE[key]!;
  const tiebreak = TIEBREAK[key] ?? ((x: any) => x.id);
  const sign = sort.startsWith('-') ? -1 : 1;
  return [...items].sort((a, b) => {
    const [va, vb] = [value(a), value(b)];
    if (va !== vb) return (va < vb ? -1 : 1) * sign;
    const [ta, tb] = [tiebreak(a), tiebreak(b)];
    return (ta < tb ? -1 : ta > tb ? 1 : 0) * sign;
  });
}

export function expectSorted(items: any[], sort: string): void {
  expect(items.map((x) => x.serial), `sort=${sort}`).toEqual(sortedAs(items, sort).map((x) => x.serial));
}
