/** Paths of the console's screens, in one place. */
export const paths = {
  home: (tenant: string) => `/t/${encodeURIComponent(tenant)}`,
  hwTokens: (tenant: string, search = '') => `/t/${encodeURIComponent(tenant)}/devices/hw-tokens${search ? `?${search}` : ''}`,
  token: (tenant: string, id: string) => `/t/${encodeURIComponent(tenant)}/devices/hw-tokens/${encodeURIComponent(id)}`,
  users: (tenant: string) => `/t/${encodeURIComponent(tenant)}/users`,
  user: (tenant: string, id: string) => `/t/${encodeURIComponent(tenant)}/users/${encodeURIComponent(id)}`,
  audit: (tenant: string, search = '') => `/t/${encodeURIComponent(tenant)}/audit${search ? `?${search}` : ''}`,
};

export type SignInReason = 'expired' | 'signed-out';

export function signInPath(next: string, reason?: SignInReason): string {
  const params = new URLSearchParams();
  if (next && next !== '/') params.set('next', next);
  if (reason) params.set('reason', reason);
  return params.size > 0 ? `/sign-in?${params.toString()}` : '/sign-in';
}

/** Only a path of this console: never an absolute or protocol-relative URL (open redirect). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/sign-in')) return '/';
  return next;
}

/** Where the same screen lives in another tenant (ids and filters do not carry over). */
export function sectionPathIn(tenant: string, currentPath: string): string {
  const section = currentPath.split('/')[3] ?? '';
  if (section === 'devices') return paths.hwTokens(tenant);
  if (section === 'users') return paths.users(tenant);
  if (section === 'audit') return paths.audit(tenant);
  return paths.home(tenant);
}
