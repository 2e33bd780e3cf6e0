import { useMemo } from 'react';
import { Navigate, Outlet, useParams } from 'react-router-dom';
import type { Privilege } from '../../contract/index.js';
import { ConsoleShell } from './ConsoleShell.js';
import { NoTenantPage } from './NoTenantPage.js';
import { paths } from './paths.js';
import { TenantContext, useSession, type CurrentTenant } from './session-context.js';

/** `/t/:tenant/…`: the tenant named by its slug, with the operator's privileges there. */
export function TenantRoute() {
  const { tenant: slug = '' } = useParams();
  const me = useSession();
  const access = me.tenants.find((tenant) => tenant.slug === slug);
  const current = useMemo<CurrentTenant | null>(() => {
    if (!access) return null;
    const privileges = new Set<Privilege>(access.privileges);
    return { slug: access.slug, name: access.name, privileges, can: (p) => privileges.has(p) };
  }, [access]);
  if (!current) return <NoTenantPage slug={slug} />;
  return (
    <TenantContext.Provider value={current}>
      <ConsoleShell>
        <Outlet />
      </ConsoleShell>
    </TenantContext.Provider>
  );
}

/** `/`: the operator's first tenant. */
export function HomeRedirect() {
  const me = useSession();
  const first = me.tenants[0];
  if (!first) return <NoTenantPage />;
  return <Navigate to={paths.home(first.slug)} replace />;
}
