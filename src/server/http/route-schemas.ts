import { Type } from 'typebox';
import { ProblemSchema } from '../../contract/common.js';

/** Every route answers its errors as problem+json (documented once here). */
export const withProblems = <T extends Record<number | string, unknown>>(responses: T) => ({
  ...responses,
  '4xx': ProblemSchema,
  '5xx': ProblemSchema,
});

export const NoContent = Type.Null({ description: 'No content' });
