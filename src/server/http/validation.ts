import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { AppError } from '../lib/app-error.js';

const BASE: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false };
/** Bodies: no type coercion, and no silent removal of unknown fields. */
const strictAjv = () => withFormats(new Ajv({ ...BASE, coerceTypes: false }));

/**
 * Request validation. Bodies are validated strictly: no type coercion and no
 * silent removal of unknown fields (they are refused). Query strings and path
 * parameters are text, so their numbers and booleans are coerced.
 */
export function installValidation(app: FastifyInstance): void {
  const strict = strictAjv();
  const coercing = withFormats(new Ajv({ ...BASE, coerceTypes: 'array' }));
  const compiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema);
  app.setValidatorCompiler(compiler);
}

function withFormats(ajv: Ajv): Ajv {
  (addFormats as unknown as (ajv: Ajv) => Ajv)(ajv);
  return ajv;
}

let cliAjv: Ajv | undefined;

/**
 * `value` checked against a request body's schema, for input that does not
 * come over HTTP (the command line): the same rules, the same refusals.
 */
export function validBody<S extends TSchema>(schema: S, value: unknown): Static<S> {
  cliAjv ??= strictAjv();
  const check = cliAjv.compile(schema);
  if (check(value)) return value as Static<S>;
  const errors = (check.errors ?? []).map((e) => ({ ref: e.instancePath.slice(1) || 'input', reason: e.message ?? 'is not valid' }));
  throw new AppError('VALIDATION_FAILED', errors.map((e) => `${e.ref} ${e.reason}`).join('; '), errors);
}
