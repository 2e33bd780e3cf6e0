import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateUserBody, User, UserWithTokens } from '../../contract/index.js';
import { apiRequest, seg } from './client.js';
import { userKeys } from './query-keys.js';

interface UserPage {
  items: User[];
  nextCursor: string | null;
  total: number;
  totalCapped: boolean;
}

const usersPath = (tenant: string) => `/tenants/${seg(tenant)}/users`;

export function useUserPage(tenant: string, q: string, cursor: string | null, limit = 50, enabled = true) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (q.trim()) query.set('q', q.trim());
  if (cursor) query.set('cursor', cursor);
  return useQuery({
    queryKey: userKeys.list(tenant, query.toString()),
    queryFn: ({ signal }) => apiRequest<UserPage>(usersPath(tenant), { query, signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useUser(tenant: string, id: string | null) {
  return useQuery({
    queryKey: userKeys.detail(tenant, id ?? ''),
    queryFn: ({ signal }) => apiRequest<UserWithTokens>(`${usersPath(tenant)}/${seg(id ?? '')}`, { signal }),
    enabled: id !== null,
  });
}

export function useCreateUser(tenant: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserBody) => apiRequest<User>(usersPath(tenant), { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all(tenant) }),
  });
}
