import { Type, type Static } from 'typebox';
import { Id, NullableString, OneOf } from './common.js';
import { PRIVILEGES, ROLES } from './privileges.js';

export const RoleSchema = OneOf(ROLES);
export const PrivilegeSchema = OneOf(PRIVILEGES);

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const TenantAccess = Type.Object({
  id: Id,
  slug: Type.String(),
  name: Type.String(),
  roles: Type.Array(RoleSchema),
  privileges: Type.Array(PrivilegeSchema),
});

export const Me = Type.Object({
  operator: Type.Object({ id: Id, username: Type.String(), displayName: NullableString, superadmin: Type.Boolean() }),
  tenants: Type.Array(TenantAccess),
  /** Echo this value in the X-CSRF-Token header of every state-changing request. */
  csrfToken: Type.String(),
  sessionExpiresAt: Type.String({ format: 'date-time' }),
});

export type LoginBody = Static<typeof LoginBody>;
export type Me = Static<typeof Me>;
export type TenantAccess = Static<typeof TenantAccess>;

export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_COOKIE = 'hwt_session';
