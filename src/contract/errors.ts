/**
 * The stable error codes of the API (SPEC.md §6), with their HTTP status and a
 * title. Server and console both read this catalogue; docs/errors.md lists it.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  UNAUTHENTICATED: { status: 401, title: 'Sign-in required' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  ALREADY_ASSIGNED: { status: 409, title: 'The token is already assigned' },
  NOT_ASSIGNED: { status: 409, title: 'The token is not assigned' },
  INVALID_STATE: { status: 409, title: 'The token is not in a state that allows this' },
  LAST_ACTIVE_TOKEN: { status: 409, title: "This is the user's last active token" },
  TOKEN_COMPROMISED: { status: 409, title: 'The token is compromised' },
  RESET_NOT_SUPPORTED: { status: 409, title: 'This token type cannot be reset' },
  DUPLICATE_SERIAL: { status: 409, title: 'A token with this serial already exists' },
  CONFLICT: { status: 409, title: 'The object already exists' },
  RESET_FAILED: { status: 422, title: 'The token could not be resynchronised' },
  OTP_INVALID: { status: 422, title: 'The one-time password is not valid' },
  IMPORT_INVALID: { status: 422, title: 'The seed file was not imported' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request is too large' },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request did not arrive in time' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The service is unavailable' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** RFC 9457 problem details, with the stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  /** Per-field or per-entry details (validation, import report). */
  errors?: { ref: string; reason: string }[];
}

export const problemTypeUri = (code: ErrorCode): string => `urn:hwtokens:problem:${code.toLowerCase().replaceAll('_', '-')}`;
