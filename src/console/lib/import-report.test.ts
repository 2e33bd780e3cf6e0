import { describe, expect, it } from 'vitest';
import { problemTotal } from './import-report.js';

describe('problemTotal', () => {
  it('counts the listed problems', () => {
    expect(problemTotal([])).toBe(0);
    expect(problemTotal([{ ref: 'line 2', reason: 'duplicate serial' }, { ref: 'line 3', reason: 'bad secret' }])).toBe(2);
  });

  it('reads the closing "… and N more" entry as a count, not as a problem', () => {
    const listed = Array.from({ length: 1000 }, (_, i) => ({ ref: `line ${i + 2}`, reason: 'duplicate serial' }));
    expect(problemTotal([...listed, { ref: '…', reason: '… and 2000 more' }])).toBe(3000);
  });
});
