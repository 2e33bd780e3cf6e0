import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router-dom';
import { LoadingState } from '../components/ui/QueryStates.js';
import DevicesPage from '../pages/Devices/index.js';
import HwTokensTab from '../pages/HwTokens/index.js';
import NotFoundPage from '../pages/NotFound/index.js';
import OverviewPage from '../pages/Overview/index.js';
import SignInPage from '../pages/SignIn/index.js';
import { RequirePrivilege } from './RequirePrivilege.js';
import { RequireSession } from './RequireSession.js';
import { RouteError } from './RouteError.js';
import { HomeRedirect, TenantRoute } from './TenantRoute.js';

// The screens off the main procedure load on first visit, keeping the first load small.
const TokenDetailPage = lazy(() => import('../pages/TokenDetail/index.js'));
const UsersPage = lazy(() => import('../pages/Users/index.js'));
const UserDetailPage = lazy(() => import('../pages/UserDetail/index.js'));
const AuditPage = lazy(() => import('../pages/Audit/index.js'));

const later = (page: ReactNode) => <Suspense fallback={<LoadingState label="Loading…" />}>{page}</Suspense>;

export function createConsoleRouter() {
  return createBrowserRouter([
    { path: '/sign-in', element: <SignInPage />, errorElement: <RouteError /> },
    {
      element: <RequireSession />,
      errorElement: <RouteError />,
      children: [
        { index: true, element: <HomeRedirect /> },
        {
          path: 't/:tenant',
          element: <TenantRoute />,
          children: [
            { errorElement: <RouteError />, children: [
              { index: true, element: <OverviewPage /> },
              {
                path: 'devices',
                element: <DevicesPage />,
                children: [
                  { index: true, element: <Navigate to="hw-tokens" replace /> },
                  { path: 'hw-tokens', element: <HwTokensTab /> },
                ],
              },
              { path: 'devices/hw-tokens/:tokenId', element: later(<TokenDetailPage />) },
              { path: 'users', element: <RequirePrivilege privilege="user:read" title="Users" subject="the users">{later(<UsersPage />)}</RequirePrivilege> },
              { path: 'users/:userId', element: <RequirePrivilege privilege="user:read" title="Users" subject="the users">{later(<UserDetailPage />)}</RequirePrivilege> },
              { path: 'audit', element: <RequirePrivilege privilege="audit:read" title="Audit" subject="the audit trail">{later(<AuditPage />)}</RequirePrivilege> },
              { path: '*', element: <NotFoundPage /> },
            ] },
          ],
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}
