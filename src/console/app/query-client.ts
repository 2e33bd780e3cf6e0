import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/api-error.js';

/** A refusal will be refused again: only transient failures are retried. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status > 0 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        staleTime: 15_000,
        // A list that reorders itself when the window regains focus loses the operator's place.
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
