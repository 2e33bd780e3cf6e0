import type { ErrorCode, Problem } from '../../contract/index.js';

/** A code the console adds for failures that never reached the API. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE';

/** An API refusal or failure, decoded from the problem+json body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly title: string;
  readonly detail: string;
  readonly errors: Problem['errors'];

  constructor(status: number, code: ErrorCode | ClientErrorCode, title: string, detail: string, errors?: Problem['errors']) {
    super(detail || title);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
  }
}

function isProblem(body: unknown): body is Partial<Problem> {
  return typeof body === 'object' && body !== null && ('code' in body || 'title' in body);
}

/** Builds the ApiError for a failed response from whatever body it carried. */
export function problemToError(status: number, body: unknown): ApiError {
  if (isProblem(body) && typeof body.code === 'string') {
    return new ApiError(status, body.code, body.title ?? '', body.detail ?? '', Array.isArray(body.errors) ? body.errors : undefined);
  }
  return new ApiError(status, status >= 500 ? 'INTERNAL_ERROR' : 'BAD_RESPONSE', `HTTP ${status}`, '');
}
