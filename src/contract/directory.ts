import { Type, type Static } from 'typebox';
import { Cursor, Id, Limit, NullableString, Page, Timestamp } from './common.js';
import { RoleSchema } from './auth.js';
import { HwToken } from './tokens.js';

export const Tenant = Type.Object({ id: Id, slug: Type.String(), name: Type.String(), createdAt: Timestamp });
export const CreateTenantBody = Type.Object(
  {
    slug: Type.String({ minLength: 2, maxLength: 40, pattern: '^[a-z0-9][a-z0-9-]*$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const TenantSettings = Type.Object({
  hotpLookAhead: Type.Integer({ minimum: 1, maximum: 100 }),
  totpWindow: Type.Integer({ minimum: 0, maximum: 10 }),
  hotpSyncWindow: Type.Integer({ minimum: 2, maximum: 100_000 }),
  totpSyncWindow: Type.Integer({ minimum: 1, maximum: 20_000 }),
  maxFailures: Type.Integer({ minimum: 1, maximum: 1000 }),
  lockSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  requireProofOnAssign: Type.Boolean(),
});
export const TenantSettingsPatch = Type.Partial(TenantSettings, { additionalProperties: false });

export const User = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: NullableString,
  email: NullableString,
  externalId: NullableString,
  createdAt: Timestamp,
  activeTokens: Type.Integer(),
  tokenCount: Type.Integer(),
});
export const UserWithTokens = Type.Intersect([User, Type.Object({ tokens: Type.Array(HwToken) })]);
export const UserPage = Page(User);
export const UserListQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 100 })), limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
export const CreateUserBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\s]+$' }),
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Type.String({ maxLength: 254, format: 'email' })),
    externalId: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const AuditEvent = Type.Object({
  id: Id,
  seq: Type.Integer(),
  at: Timestamp,
  actor: Type.String(),
  action: Type.String(),
  outcome: Type.String(),
  tokenId: NullableString,
  serial: NullableString,
  userId: NullableString,
  username: NullableString,
  reason: NullableString,
  detail: NullableString,
  hash: Type.String(),
  prevHash: Type.String(),
});
export const AuditPage = Type.Object({
  items: Type.Array(AuditEvent),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  head: Type.Object({ seq: Type.Integer(), hash: Type.String() }),
});
export const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ maxLength: 64 })),
    actor: Type.Optional(Type.String({ maxLength: 100 })),
    outcome: Type.Optional(Type.String({ maxLength: 32 })),
    token: Type.Optional(Type.String({ maxLength: 64, description: 'token id or serial' })),
    user: Type.Optional(Type.String({ maxLength: 100, description: 'user id or username' })),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);

export const ApiKey = Type.Object({
  id: Id,
  name: Type.String(),
  role: RoleSchema,
  prefix: Type.String(),
  createdAt: Timestamp,
  createdBy: Type.String(),
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
});
export const CreatedApiKey = Type.Intersect([ApiKey, Type.Object({ secret: Type.String({ description: 'Shown once' }) })]);
export const CreateApiKeyBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), role: RoleSchema },
  { additionalProperties: false },
);

export const Operator = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: NullableString,
  superadmin: Type.Boolean(),
  roles: Type.Array(Type.Object({ tenant: Type.String(), role: RoleSchema })),
  createdAt: Timestamp,
});
export const TenantRole = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 64 }), role: RoleSchema }, { additionalProperties: false });
export const CreateOperatorBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\s]+$' }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    superadmin: Type.Optional(Type.Boolean()),
    roles: Type.Optional(Type.Array(TenantRole, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export const SetRolesBody = Type.Object({ roles: Type.Array(TenantRole, { maxItems: 100 }) }, { additionalProperties: false });

export type Tenant = Static<typeof Tenant>;
export type CreateTenantBody = Static<typeof CreateTenantBody>;
export type TenantSettings = Static<typeof TenantSettings>;
export type TenantSettingsPatch = Static<typeof TenantSettingsPatch>;
export type User = Static<typeof User>;
export type UserWithTokens = Static<typeof UserWithTokens>;
export type UserListQuery = Static<typeof UserListQuery>;
export type CreateUserBody = Static<typeof CreateUserBody>;
export type AuditEvent = Static<typeof AuditEvent>;
export type AuditPage = Static<typeof AuditPage>;
export type AuditQuery = Static<typeof AuditQuery>;
export type ApiKey = Static<typeof ApiKey>;
export type CreatedApiKey = Static<typeof CreatedApiKey>;
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>;
export type Operator = Static<typeof Operator>;
export type CreateOperatorBody = Static<typeof CreateOperatorBody>;
export type SetRolesBody = Static<typeof SetRolesBody>;
