import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';

/**
 * Request validation. Bodies are validated strictly: no type coercion and no
 * silent removal of unknown fields (they are refused). Query strings and path
 * parameters are text, so their numbers and booleans are coerced.
 */
export function installValidation(app: FastifyInstance): void {
  const base: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false };
  const strict = withFormats(new Ajv({ ...base, coerceTypes: false }));
  const coercing = withFormats(new Ajv({ ...base, coerceTypes: 'array' }));
  const compiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema);
  app.setValidatorCompiler(compiler);
}

function withFormats(ajv: Ajv): Ajv {
  (addFormats as unknown as (ajv: Ajv) => Ajv)(ajv);
  return ajv;
}
