import { describe, expect, it } from 'vitest';
import { safeNext, sectionPathIn, signInPath } from './paths.js';

describe('sign-in return path', () => {
  it('keeps the page the operator was on, filters included', () => {
    expect(signInPath('/t/acme/devices/hw-tokens?status=active', 'expired')).toBe(
      '/sign-in?next=%2Ft%2Facme%2Fdevices%2Fhw-tokens%3Fstatus%3Dactive&reason=expired',
    );
    const next = new URLSearchParams(signInPath('/t/acme/audit?actor=bob').split('?')[1]).get('next');
    expect(safeNext(next)).toBe('/t/acme/audit?actor=bob');
  });

  it('never sends the operator off-site after sign-in', () => {
    for (const hostile of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', null, '']) {
      expect(safeNext(hostile)).toBe('/');
    }
  });
});

describe('tenant switch', () => {
  it('keeps the section, not the object or filter', () => {
    expect(sectionPathIn('beta', '/t/acme/devices/hw-tokens/tok_1')).toBe('/t/beta/devices/hw-tokens');
    expect(sectionPathIn('beta', '/t/acme/users/u_1')).toBe('/t/beta/users');
    expect(sectionPathIn('beta', '/t/acme')).toBe('/t/beta');
  });
});
