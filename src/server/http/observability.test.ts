import { describe, expect, it } from 'vitest';
import { loggableUrl } from './observability.js';

describe('loggableUrl', () => {
  it('keeps paths and ordinary filters as they are', () => {
    expect(loggableUrl('/api/v1/tenants/acme/hw-tokens')).toBe('/api/v1/tenants/acme/hw-tokens');
    expect(loggableUrl('/api/v1/tenants/acme/hw-tokens?serial=AB&status=active&status=disabled')).toBe('/api/v1/tenants/acme/hw-tokens?serial=AB&status=active&status=disabled');
  });

  it('leaves out the values of parameters that may carry a credential, however spelled', () => {
    expect(loggableUrl('/api/v1/auth/login?password=hunter2&user=bob')).toBe('/api/v1/auth/login?password=[redacted]&user=bob');
    expect(loggableUrl('/x?OTP=123456&api_key=hwt_abc&Pass%77ord=x&csrf=1&secretHex=00')).toBe('/x?OTP=[redacted]&api_key=[redacted]&Pass%77ord=[redacted]&csrf=[redacted]&secretHex=[redacted]');
    expect(loggableUrl('/x?%E0%A4%A=1&otp')).toBe('/x?%E0%A4%A=1&otp=[redacted]');
    expect(loggableUrl('/x?pwd=1&seed=2&privateId=3&cred=4&pin=5&code=6&status=active')).toBe('/x?pwd=[redacted]&seed=[redacted]&privateId=[redacted]&cred=[redacted]&pin=[redacted]&code=[redacted]&status=active');
  });
});
