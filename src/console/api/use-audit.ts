import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AuditPage } from '../../contract/index.js';
import { apiRequest, seg } from './client.js';
import { auditKeys } from './query-keys.js';

export function useAuditPage(tenant: string, query: URLSearchParams) {
  return useQuery({
    queryKey: auditKeys.list(tenant, query.toString()),
    queryFn: ({ signal }) => apiRequest<AuditPage>(`/tenants/${seg(tenant)}/audit`, { query, signal }),
    placeholderData: keepPreviousData,
  });
}
