/** Privileges and the roles that bundle them (SPEC.md §6). */
export const PRIVILEGES = [
  'hwtoken:read', 'hwtoken:assign', 'hwtoken:unassign', 'hwtoken:disable', 'hwtoken:reset',
  'hwtoken:compromise', 'hwtoken:import', 'user:read', 'user:write', 'audit:read',
  'tenant:admin', 'otp:verify',
] as const;
export type Privilege = (typeof PRIVILEGES)[number];

const VIEWER: Privilege[] = ['hwtoken:read', 'user:read'];
const HELPDESK: Privilege[] = [...VIEWER, 'hwtoken:assign', 'hwtoken:unassign', 'hwtoken:disable', 'hwtoken:reset'];
const SECURITY_OFFICER: Privilege[] = [...HELPDESK, 'hwtoken:compromise', 'audit:read'];

export const ROLE_PRIVILEGES = {
  viewer: VIEWER,
  helpdesk: HELPDESK,
  'security-officer': SECURITY_OFFICER,
  'token-admin': [...SECURITY_OFFICER, 'hwtoken:import', 'user:write'],
  auditor: [...VIEWER, 'audit:read'],
  'tenant-admin': [...PRIVILEGES],
  verifier: ['otp:verify'],
} as const satisfies Record<string, readonly Privilege[]>;

export type Role = keyof typeof ROLE_PRIVILEGES;
export const ROLES = ['viewer', 'helpdesk', 'security-officer', 'token-admin', 'auditor', 'tenant-admin', 'verifier'] as const satisfies readonly Role[];

export function privilegesOf(roles: readonly Role[]): Set<Privilege> {
  return new Set(roles.flatMap((role) => ROLE_PRIVILEGES[role]));
}
