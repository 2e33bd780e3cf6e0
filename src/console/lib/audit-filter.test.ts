import { describe, expect, it } from 'vitest';
import { auditApiQuery, auditSearchParams, EMPTY_AUDIT_FILTER, localToIso, parseAuditParams } from './audit-filter.js';

describe('audit filter', () => {
  it('round-trips through the address bar', () => {
    const filter = { action: 'hwtoken.disable', actor: 'bob', token: 'SN-1', user: 'alice', from: '2025-03-01T08:00', to: '2025-03-02T18:30' };
    const url = auditSearchParams(filter).toString();
    expect(parseAuditParams(new URLSearchParams(url))).toEqual(filter);
    expect(auditSearchParams(EMPTY_AUDIT_FILTER).toString()).toBe('');
  });

  it('drops a time that is not a date-time', () => {
    expect(parseAuditParams(new URLSearchParams('from=yesterday&to=2025-01-01')).from).toBe('');
    expect(localToIso('2025-13-45T99:99')).toBeNull();
  });

  it('sends the API instants, newest first by default, with the cursor', () => {
    const query = auditApiQuery({ ...EMPTY_AUDIT_FILTER, actor: 'bob', from: '2025-03-01T08:00' }, 'c1', 25);
    expect(query.get('actor')).toBe('bob');
    expect(query.get('from')).toBe(new Date('2025-03-01T08:00').toISOString());
    expect(query.get('to')).toBeNull();
    expect(query.get('limit')).toBe('25');
    expect(query.get('cursor')).toBe('c1');
  });
});
