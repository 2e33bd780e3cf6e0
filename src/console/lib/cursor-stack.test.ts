import { describe, expect, it } from 'vitest';
import { currentCursor, FIRST_PAGE, nextPage, previousPage } from './cursor-stack.js';

describe('cursor stack', () => {
  it('walks forward with the cursors the API gives and back the same way', () => {
    const third = nextPage(nextPage(FIRST_PAGE, 'c2'), 'c3');
    expect(third).toHaveLength(3);
    expect(currentCursor(third)).toBe('c3');
    expect(currentCursor(previousPage(third))).toBe('c2');
    expect(currentCursor(previousPage(previousPage(third)))).toBeNull();
  });

  it('stays on the last page when there is no next cursor, and on the first going back', () => {
    expect(nextPage(FIRST_PAGE, null)).toBe(FIRST_PAGE);
    expect(previousPage(FIRST_PAGE)).toBe(FIRST_PAGE);
  });
});
