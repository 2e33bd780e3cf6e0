import type { QueryClient } from '@tanstack/react-query';
import { setCsrfToken } from '../api/client.js';
import { sessionKeys } from '../api/query-keys.js';
import { signInPath } from './paths.js';

interface Navigator {
  navigate: (to: string, options?: { replace?: boolean; flushSync?: boolean }) => Promise<void> | void;
  state: { location: { pathname: string; search: string } };
}

/**
 * The session expired or was revoked while the operator worked: back to
 * sign-in with a message, keeping the page they were on so that signing in
 * again returns there. Cached data of the old session is dropped.
 */
export function handleSessionLost(router: Navigator, queryClient: QueryClient): void {
  const { pathname, search } = router.state.location;
  if (pathname === '/sign-in') return;
  setCsrfToken(null);
  // The cache is dropped once sign-in shows (rendered at once, flushSync):
  // dropping it first would let the screen still on display redirect on its
  // own, without the message.
  void Promise.resolve(router.navigate(signInPath(`${pathname}${search}`, 'expired'), { replace: true, flushSync: true })).then(() => {
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKeys.me[0] });
    queryClient.setQueryData(sessionKeys.me, null);
  });
}
