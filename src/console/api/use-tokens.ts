import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import type { AuditPage, HwToken, HwTokenPage, TokenStats } from '../../contract/index.js';
import type { TokenAction } from '../lib/token-actions.js';
import { apiRequest, seg } from './client.js';
import { auditKeys, tokenKeys, userKeys } from './query-keys.js';

const tokensPath = (tenant: string) => `/tenants/${seg(tenant)}/hw-tokens`;

export function useTokenPage(tenant: string, query: URLSearchParams) {
  const key = query.toString();
  return useQuery({
    queryKey: tokenKeys.list(tenant, key),
    queryFn: ({ signal }) => apiRequest<HwTokenPage>(tokensPath(tenant), { query, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useTokenStats(tenant: string, enabled = true) {
  return useQuery({
    queryKey: tokenKeys.stats(tenant),
    queryFn: ({ signal }) => apiRequest<TokenStats>(`${tokensPath(tenant)}/stats`, { signal }),
    enabled,
  });
}

export function useToken(tenant: string, id: string) {
  return useQuery({
    queryKey: tokenKeys.detail(tenant, id),
    queryFn: ({ signal }) => apiRequest<HwToken>(`${tokensPath(tenant)}/${seg(id)}`, { signal }),
  });
}

export function useTokenHistory(tenant: string, id: string, cursor: string | null) {
  const query = new URLSearchParams({ limit: '20' });
  if (cursor) query.set('cursor', cursor);
  return useQuery({
    queryKey: [...tokenKeys.history(tenant, id), cursor],
    queryFn: ({ signal }) => apiRequest<AuditPage>(`${tokensPath(tenant)}/${seg(id)}/history`, { query, signal }),
    placeholderData: keepPreviousData,
  });
}

/** The state-changing actions of the row menu and the body each one takes. */
export type TokenCommand =
  | { action: 'assign'; body: { userId: string; otp?: string } }
  | { action: 'compromise'; body: { reason: string } }
  | { action: 'reset'; body: { otp1: string; otp2: string } }
  | { action: Exclude<TokenAction, 'assign' | 'compromise' | 'reset' | 'history'> };

/** Puts the token the server answered with in every cached page and its detail. */
function patchCachedToken(queryClient: QueryClient, tenant: string, token: HwToken): void {
  queryClient.setQueriesData<HwTokenPage>({ queryKey: tokenKeys.lists(tenant) }, (page) =>
    page ? { ...page, items: page.items.map((item) => (item.id === token.id ? token : item)) } : page,
  );
  queryClient.setQueryData(tokenKeys.detail(tenant, token.id), token);
}

/**
 * Runs one action on a token. The row changes in place at once; the lists are
 * only marked stale, so that a token the operator just disabled does not
 * vanish from under them because the filter said "active".
 */
export function useTokenCommand(tenant: string) {
  const queryClient = useQueryClient();
  const refreshAround = () => {
    void queryClient.invalidateQueries({ queryKey: tokenKeys.lists(tenant), refetchType: 'none' });
    void queryClient.invalidateQueries({ queryKey: tokenKeys.stats(tenant) });
    void queryClient.invalidateQueries({ queryKey: tokenKeys.histories(tenant) });
    void queryClient.invalidateQueries({ queryKey: userKeys.all(tenant) });
    void queryClient.invalidateQueries({ queryKey: auditKeys.all(tenant) });
  };
  // One action at a time: a double click lands both clicks before the button
  // shows itself busy, and would send the action twice (the second refused).
  const inFlight = useRef(false);
  const mutation = useMutation({
    mutationFn: ({ tokenId, command }: { tokenId: string; command: TokenCommand }) =>
      apiRequest<HwToken>(`${tokensPath(tenant)}/${seg(tokenId)}/${command.action}`, {
        method: 'POST',
        body: 'body' in command ? command.body : {},
      }),
    onSuccess: (token) => {
      patchCachedToken(queryClient, tenant, token);
      refreshAround();
    },
    onError: async (_error, { tokenId }) => {
      refreshAround();
      // A refusal often means the row was stale (someone else acted): show the token as it is now.
      try {
        const token = await apiRequest<HwToken>(`${tokensPath(tenant)}/${seg(tokenId)}`);
        patchCachedToken(queryClient, tenant, token);
      } catch {
        // The list refresh will tell.
      }
    },
    onSettled: () => { inFlight.current = false; },
  });
  const mutate: typeof mutation.mutate = (variables, options) => {
    if (inFlight.current) return;
    inFlight.current = true;
    mutation.mutate(variables, options);
  };
  return { ...mutation, mutate };
}

/** Tokens in stock (no holder, not compromised) whose serial starts with `serial`. */
export function useStockTokens(tenant: string, serial: string, enabled: boolean) {
  const query = new URLSearchParams({ assigned: 'false', sort: 'serial', limit: '10' });
  query.append('status', 'active');
  query.append('status', 'disabled');
  if (serial.trim()) query.set('serial', serial.trim());
  return useQuery({
    queryKey: [...tokenKeys.lists(tenant), 'stock', query.toString()],
    queryFn: ({ signal }) => apiRequest<HwTokenPage>(tokensPath(tenant), { query, signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function tokenCsvUrl(tenant: string, query: URLSearchParams): string {
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return `/api/v1/tenants/${seg(tenant)}/hw-tokens.csv${search}`;
}
