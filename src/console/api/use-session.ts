import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LoginBody, Me } from '../../contract/index.js';
import { ApiError } from './api-error.js';
import { apiRequest, setCsrfToken } from './client.js';
import { sessionKeys } from './query-keys.js';

/** The signed-in operator, or null when there is no session. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await apiRequest<Me>('/auth/me', { expectUnauthenticated: true });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: sessionKeys.me, queryFn: fetchMe, staleTime: Infinity, retry: false });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => apiRequest<Me>('/auth/login', { method: 'POST', body, expectUnauthenticated: true }),
    onSuccess: (me) => {
      queryClient.clear();
      setCsrfToken(me.csrfToken);
      queryClient.setQueryData(sessionKeys.me, me);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<void>('/auth/logout', { method: 'POST', expectUnauthenticated: true }),
    onSettled: () => {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(sessionKeys.me, null);
    },
  });
}
