/**
 * Query keys, one factory per resource, all under the tenant so that switching
 * tenant never shows another tenant's cache. Invalidate by the shorter
 * prefixes (`tokenKeys.all(t)`, `tokenKeys.lists(t)`).
 */
export const sessionKeys = {
  me: ['session', 'me'] as const,
};

export const tokenKeys = {
  all: (tenant: string) => ['tenant', tenant, 'hw-tokens'] as const,
  lists: (tenant: string) => [...tokenKeys.all(tenant), 'list'] as const,
  list: (tenant: string, query: string) => [...tokenKeys.lists(tenant), query] as const,
  stats: (tenant: string) => [...tokenKeys.all(tenant), 'stats'] as const,
  detail: (tenant: string, id: string) => [...tokenKeys.all(tenant), 'detail', id] as const,
  histories: (tenant: string) => [...tokenKeys.all(tenant), 'history'] as const,
  history: (tenant: string, id: string) => [...tokenKeys.histories(tenant), id] as const,
};

export const userKeys = {
  all: (tenant: string) => ['tenant', tenant, 'users'] as const,
  list: (tenant: string, query: string) => [...userKeys.all(tenant), 'list', query] as const,
  detail: (tenant: string, id: string) => [...userKeys.all(tenant), 'detail', id] as const,
};

export const auditKeys = {
  all: (tenant: string) => ['tenant', tenant, 'audit'] as const,
  list: (tenant: string, query: string) => [...auditKeys.all(tenant), 'list', query] as const,
};
