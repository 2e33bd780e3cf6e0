/**
 * The audit trail's filter and its encodings: the address bar keeps what the
 * operator typed (times as local `datetime-local` values), the API gets ISO
 * instants.
 */
export interface AuditFilter {
  action: string;
  actor: string;
  token: string;
  user: string;
  /** `YYYY-MM-DDTHH:mm`, local time, as the datetime-local input gives it. */
  from: string;
  to: string;
}

export const AUDIT_FIELDS = ['action', 'actor', 'token', 'user', 'from', 'to'] as const;
export const EMPTY_AUDIT_FILTER: AuditFilter = { action: '', actor: '', token: '', user: '', from: '', to: '' };
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

export function parseAuditParams(params: URLSearchParams): AuditFilter {
  const filter = { ...EMPTY_AUDIT_FILTER };
  for (const field of AUDIT_FIELDS) filter[field] = (params.get(field) ?? '').trim().slice(0, 100);
  for (const field of ['from', 'to'] as const) if (!LOCAL_TIME.test(filter[field])) filter[field] = '';
  return filter;
}

export function auditSearchParams(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of AUDIT_FIELDS) {
    const value = filter[field].trim();
    if (value) params.set(field, value);
  }
  return params;
}

/** A local date-time as the instant it names, or null when it names none. */
export function localToIso(local: string): string | null {
  if (!LOCAL_TIME.test(local)) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function auditApiQuery(filter: AuditFilter, cursor: string | null, limit = 50): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of ['action', 'actor', 'token', 'user'] as const) {
    const value = filter[field].trim();
    if (value) params.set(field, value);
  }
  for (const field of ['from', 'to'] as const) {
    const iso = localToIso(filter[field]);
    if (iso) params.set(field, iso);
  }
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return params;
}
