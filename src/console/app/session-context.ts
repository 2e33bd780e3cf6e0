import { createContext, useContext } from 'react';
import type { Me, Privilege } from '../../contract/index.js';

export const SessionContext = createContext<Me | null>(null);

export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession outside a signed-in route');
  return me;
}

export interface CurrentTenant {
  slug: string;
  name: string;
  privileges: ReadonlySet<Privilege>;
  can: (privilege: Privilege) => boolean;
}

export const TenantContext = createContext<CurrentTenant | null>(null);

export function useTenant(): CurrentTenant {
  const tenant = useContext(TenantContext);
  if (!tenant) throw new Error('useTenant outside a tenant route');
  return tenant;
}
