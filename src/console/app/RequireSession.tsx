import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useMe } from '../api/use-session.js';
import { ErrorState, LoadingState } from '../components/ui/QueryStates.js';
import { signInPath } from './paths.js';
import { SessionContext } from './session-context.js';

/** Every screen but sign-in: needs a session, else sign-in keeping the page asked for. */
export function RequireSession() {
  const location = useLocation();
  const me = useMe();
  if (me.isPending) return <LoadingState label="Checking your session…" fullPage />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} fullPage />;
  if (!me.data) return <Navigate to={signInPath(`${location.pathname}${location.search}`)} replace />;
  return (
    <SessionContext.Provider value={me.data}>
      <Outlet />
    </SessionContext.Provider>
  );
}
