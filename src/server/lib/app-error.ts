import { ERROR_CATALOGUE, type ErrorCode } from '../../contract/errors.js';

/** The one error the domain throws; the error handler maps it to problem+json. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly errors?: { ref: string; reason: string }[],
  ) {
    super(detail);
    this.status = ERROR_CATALOGUE[code].status;
  }
}

/** 429: the caller may try again after `retryAfterSeconds` (sent as Retry-After). */
export class RateLimitedError extends AppError {
  constructor(detail: string, readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', detail);
  }
}

export function assertThat(condition: unknown, code: ErrorCode, detail: string): asserts condition {
  if (!condition) throw new AppError(code, detail);
}
