import { describe, expect, it } from 'vitest';
import { ApiError } from './api/api-error.js';
import { describeError } from './messages.js';

describe('operator wording of API refusals', () => {
  it('says that a user must always keep one active token', () => {
    const error = new ApiError(409, 'LAST_ACTIVE_TOKEN', "This is the user's last active token", 'a user must always keep one active token');
    const { message, detail } = describeError(error);
    expect(message).toContain('a user must always keep one active token');
    expect(detail).toBeUndefined();
  });

  it("keeps the server's reason of a failed reset (order or not found)", () => {
    const reason = 'The two OTPs were found, but in the wrong order: enter first the OTP the token generated first.';
    expect(describeError(new ApiError(422, 'RESET_FAILED', 'The token could not be resynchronised', reason))).toEqual({
      message: 'Nothing was changed on the token.',
      detail: reason,
    });
  });

  it('says how long a throttled sign-in must wait, in the server\'s words', () => {
    const detail = 'Too many failed sign-ins; wait a few minutes and try again.';
    expect(describeError(new ApiError(429, 'RATE_LIMITED', 'Too many requests', detail)).detail).toBe(detail);
  });

  it('says once why an OTP was not accepted', () => {
    const { message, detail } = describeError(new ApiError(422, 'OTP_INVALID', 'The one-time password is not valid', 'The OTP does not match this token.'));
    expect([message, detail]).toEqual(['The one-time password was not accepted.', 'The OTP does not match this token.']);
  });

  it('never shows the detail of a server error', () => {
    expect(describeError(new ApiError(500, 'INTERNAL_ERROR', 'Internal error', 'boom at line 3')).detail).toBeUndefined();
  });

  it('says something useful for an unknown failure', () => {
    expect(describeError(new TypeError('x')).message).toMatch(/does not understand/);
    expect(describeError(new ApiError(0, 'NETWORK_ERROR', '', '')).message).toMatch(/cannot be reached/);
  });
});
