import { Type, type Static } from 'typebox';
import { Cursor, Id, Limit, NullableString, NullableTimestamp, OneOf, Page, Timestamp } from './common.js';

export const TokenType = Type.Union([Type.Literal('hotp'), Type.Literal('totp'), Type.Literal('yubico')]);
export const TokenStatus = Type.Union([Type.Literal('active'), Type.Literal('disabled'), Type.Literal('compromised')]);
export const HashAlgorithm = Type.Union([Type.Literal('SHA1'), Type.Literal('SHA256'), Type.Literal('SHA512')]);

export const UserRef = Type.Object({ id: Id, username: Type.String(), displayName: NullableString });

export const HwToken = Type.Object({
  id: Id,
  serial: Type.String(),
  type: TokenType,
  status: TokenStatus,
  vendor: NullableString,
  model: NullableString,
  algorithm: Type.Union([HashAlgorithm, Type.Null()]),
  digits: Type.Union([Type.Integer(), Type.Null()]),
  period: Type.Union([Type.Integer(), Type.Null()]),
  holder: Type.Union([UserRef, Type.Null()]),
  /** The holder a compromised token had when it was compromised, for the record. */
  formerHolder: Type.Union([UserRef, Type.Null()]),
  assignedAt: NullableTimestamp,
  failCount: Type.Integer(),
  lockedUntil: NullableTimestamp,
  /** True while lockedUntil lies in the future. */
  locked: Type.Boolean(),
  lastUsedAt: NullableTimestamp,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  compromisedAt: NullableTimestamp,
  compromiseReason: NullableString,
  compromisedBy: NullableString,
  capabilities: Type.Object({ reset: Type.Boolean() }),
  batchId: NullableString,
  description: NullableString,
});

export const HwTokenPage = Page(HwToken);

export const TOKEN_SORT_KEYS = ['serial', 'status', 'type', 'createdAt', 'lastUsedAt', 'holder'] as const;
export type TokenSortKey = (typeof TOKEN_SORT_KEYS)[number];
const SortValues = TOKEN_SORT_KEYS.flatMap((key) => [key, `-${key}`]);

export const TokenListQuery = Type.Object(
  {
    serial: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(Type.Union([TokenStatus, Type.Array(TokenStatus, { maxItems: 3 })])),
    type: Type.Optional(TokenType),
    vendor: Type.Optional(Type.String({ maxLength: 100 })),
    model: Type.Optional(Type.String({ maxLength: 100 })),
    assigned: Type.Optional(Type.Boolean()),
    user: Type.Optional(Type.String({ maxLength: 100 })),
    batch: Type.Optional(Type.String({ maxLength: 64 })),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    sort: Type.Optional(OneOf(SortValues, { description: 'serial, status, type, createdAt, lastUsedAt or holder; prefix - for descending' })),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
/** The CSV export takes the list's filters and sort, and exports every match: no page. */
export const TokenExportQuery = Type.Omit(TokenListQuery, ['limit', 'cursor'], { additionalProperties: false });

export const TokenStats = Type.Object({
  total: Type.Integer(),
  byStatus: Type.Object({ active: Type.Integer(), disabled: Type.Integer(), compromised: Type.Integer() }),
  assigned: Type.Integer(),
  inStock: Type.Integer({ description: 'Ready to be assigned: neither assigned nor compromised' }),
  locked: Type.Integer(),
});

/** A code as typed: 6 or 8 digits (HOTP/TOTP), or a Yubico OTP in modhex. */
export const OtpField = Type.String({
  minLength: 6, maxLength: 64, pattern: '^([0-9]{6,8}|[cbdefghijklnrtuvCBDEFGHIJKLNRTUV]{32,64})$',
  description: '6-8 digits, or a Yubico OTP (modhex)',
});
const DigitsOtp = Type.String({ minLength: 6, maxLength: 8, pattern: '^[0-9]{6,8}$', description: '6 or 8 digits' });
const Serial = Type.String({ minLength: 1, maxLength: 64 });
const Label = Type.String({ maxLength: 100 });
export const AddTokenBody = Type.Object(
  {
    serial: Serial,
    type: TokenType,
    secret: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Key in base32' })),
    secretHex: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Key in hex' })),
    algorithm: Type.Optional(HashAlgorithm),
    digits: Type.Optional(Type.Union([Type.Literal(6), Type.Literal(8)])),
    period: Type.Optional(Type.Union([Type.Literal(30), Type.Literal(60)])),
    counter: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    publicId: Type.Optional(Type.String({ minLength: 2, maxLength: 32, pattern: '^[cbdefghijklnrtuv]+$' })),
    privateId: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{12}$' })),
    aesKey: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{32}$' })),
    vendor: Type.Optional(Label),
    model: Type.Optional(Label),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const AssignBody = Type.Object(
  {
    userId: Type.Optional(Id),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    otp: Type.Optional(OtpField),
  },
  { additionalProperties: false },
);
export const CompromiseBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S', description: 'Why the token is compromised (1-500 characters)' }) },
  { additionalProperties: false },
);
export const ResetBody = Type.Object({ otp1: DigitsOtp, otp2: DigitsOtp }, { additionalProperties: false });
export const EmptyBody = Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()]);

export const VerifyBody = Type.Object(
  {
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    userId: Type.Optional(Id),
    serial: Type.Optional(Serial),
    otp: OtpField,
  },
  { additionalProperties: false },
);
export const VerifyResult = Type.Union([
  Type.Object({ accepted: Type.Literal(true), tokenId: Id, serial: Type.String() }),
  Type.Object({
    accepted: Type.Literal(false),
    reason: Type.Union([Type.Literal('rejected'), Type.Literal('locked'), Type.Literal('no_active_token')]),
  }),
]);

export type HwToken = Static<typeof HwToken>;
export type HwTokenPage = Static<typeof HwTokenPage>;
export type TokenStatus = Static<typeof TokenStatus>;
export type TokenType = Static<typeof TokenType>;
export type TokenListQuery = Static<typeof TokenListQuery>;
export type TokenExportQuery = Static<typeof TokenExportQuery>;
export type TokenStats = Static<typeof TokenStats>;
export type AddTokenBody = Static<typeof AddTokenBody>;
export type AssignBody = Static<typeof AssignBody>;
export type CompromiseBody = Static<typeof CompromiseBody>;
export type ResetBody = Static<typeof ResetBody>;
export type VerifyBody = Static<typeof VerifyBody>;
export type VerifyResult = Static<typeof VerifyResult>;
export type UserRef = Static<typeof UserRef>;

export const SEED_FORMATS = ['pskc', 'csv', 'yubico-csv', 'otpauth'] as const;
export const ImportReport = Type.Object({
  batchId: Id,
  fileName: Type.String(),
  format: OneOf(SEED_FORMATS),
  count: Type.Integer(),
  assigned: Type.Integer(),
});
export type ImportReport = Static<typeof ImportReport>;

/** One seed-file import (SPEC.md §7); the token list filters by its id (`batch`). */
export const ImportBatch = Type.Object({
  id: Id,
  fileName: Type.String(),
  format: OneOf(SEED_FORMATS),
  count: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Timestamp,
});
export const ImportBatchPage = Type.Object({ items: Type.Array(ImportBatch), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export const ImportBatchQuery = Type.Object({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) }, { additionalProperties: false });
export type ImportBatch = Static<typeof ImportBatch>;
export type ImportBatchPage = Static<typeof ImportBatchPage>;
export type ImportBatchQuery = Static<typeof ImportBatchQuery>;
