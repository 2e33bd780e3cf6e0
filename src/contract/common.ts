import { Type, type Static } from 'typebox';

export const Id = Type.String({ minLength: 1, maxLength: 64, description: 'Opaque identifier' });
export const Timestamp = Type.String({ format: 'date-time' });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
export const NullableString = Type.Union([Type.String(), Type.Null()]);

export const TenantParams = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 64 }) });
export const TenantIdParams = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 64 }), id: Id });

export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ ref: Type.String(), reason: Type.String() }))),
});

/** A page of a keyset-paged list. */
export const Page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
    total: Type.Integer(),
    totalCapped: Type.Boolean(),
  });

export const Limit = Type.Integer({ minimum: 1, maximum: 500, default: 50 });
export const Cursor = Type.String({ maxLength: 512 });

export type TenantParams = Static<typeof TenantParams>;
export type TenantIdParams = Static<typeof TenantIdParams>;

/** A string that is one of `values`, typed as their union. */
export const OneOf = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
