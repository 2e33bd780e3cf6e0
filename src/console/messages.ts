import type { ErrorCode } from '../contract/index.js';
import { ApiError, type ClientErrorCode } from './api/api-error.js';

/**
 * What an operator reads when the API refuses or fails, by error code: what
 * happened and what to do, in the words of the procedures. The server's own
 * detail is shown beside it when it adds something (which OTP was wrong, which
 * field is invalid).
 */
const MESSAGES: Record<ErrorCode | ClientErrorCode, string> = {
  VALIDATION_FAILED: 'Some of the values entered are not valid.',
  UNAUTHENTICATED: 'Your session has expired. Sign in again to continue.',
  FORBIDDEN: 'Your role in this tenant does not allow this action.',
  NOT_FOUND: 'This item does not exist (any more), or it belongs to another tenant.',
  ALREADY_ASSIGNED: 'This token is already assigned to a user. Unassign it first.',
  NOT_ASSIGNED: 'This token is not assigned to anyone.',
  INVALID_STATE: "The token's status no longer allows this action; someone may have changed it meanwhile.",
  LAST_ACTIVE_TOKEN:
    "This is the user's last active token, and a user must always keep one active token. Assign them another active token first; if this token is lost or stolen, COMPROMISE it instead.",
  TOKEN_COMPROMISED: 'This token is compromised: it can never be used, enabled, assigned or reset again.',
  RESET_NOT_SUPPORTED: 'This type of token cannot be reset.',
  DUPLICATE_SERIAL: 'A token with this serial already exists in this tenant.',
  CONFLICT: 'This already exists.',
  RESET_FAILED: 'Nothing was changed on the token.',
  OTP_INVALID: 'The one-time password was not accepted.',
  IMPORT_INVALID: 'Nothing was imported. Correct the problems listed below and try again.',
  PAYLOAD_TOO_LARGE: 'The file is too large to be imported.',
  HEADERS_TOO_LARGE: 'The browser sent more than the server accepts. Sign out, sign in again and retry.',
  REQUEST_TIMEOUT: 'The request took too long to reach the server. Check the connection and try again.',
  UNSUPPORTED_MEDIA_TYPE: 'The server does not accept this kind of content.',
  RATE_LIMITED: 'Too many requests in a short time. Wait a moment and try again.',
  SERVICE_UNAVAILABLE: 'The service is temporarily unavailable. Try again in a moment.',
  INTERNAL_ERROR: 'Something went wrong on the server. Try again; if it happens again, tell your administrator.',
  NETWORK_ERROR: 'The server cannot be reached. Check the connection and try again.',
  BAD_RESPONSE: 'The server sent an answer the console does not understand.',
};

/** Codes whose server detail says what the operator needs to know (which OTP, which field, which state). */
const DETAIL_MATTERS = new Set<string>([
  'VALIDATION_FAILED', 'NOT_FOUND', 'INVALID_STATE', 'DUPLICATE_SERIAL', 'CONFLICT', 'RESET_FAILED', 'OTP_INVALID',
  'IMPORT_INVALID', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED',
]);

export interface OperatorMessage {
  /** What happened and what to do. */
  message: string;
  /** The server's own words, when they add to the message. */
  detail?: string;
}

export function describeError(error: unknown): OperatorMessage {
  if (!(error instanceof ApiError)) return { message: MESSAGES.BAD_RESPONSE };
  const message = MESSAGES[error.code] ?? error.title;
  const detail = error.detail.trim();
  const adds = detail && DETAIL_MATTERS.has(error.code) && detail !== message && detail !== error.title;
  return adds ? { message, detail } : { message };
}
