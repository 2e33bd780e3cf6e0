import { describe, expect, it } from 'vitest';
import { chunks, fixture, hex, parseAll, SECRET_SHA1, SECRET_SHA256 } from './seed-testing.js';

const otpauth = { format: 'otpauth' } as const;

describe('otpauth:// URI files', () => {
  it('reads one URI per line, skipping comments and blank lines', async () => {
    const { entries, problems } = await parseAll(fixture('otpauth.txt', 50), otpauth);
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.ref, e.spec.serial, e.spec.type, e.spec.vendor])).toEqual([
      ['line 2', 'OTPAUTH-HOTP', 'hotp', 'ACME'],
      ['line 4', 'OTPAUTH-TOTP-256', 'totp', 'ACME Co'],
      ['line 5', 'OTPAUTH-TOTP-60', 'totp', null],
    ]);
    expect(entries[0]?.spec).toMatchObject({ counter: 2, digits: 6, algorithm: 'SHA1' });
    expect(entries[1]?.spec).toMatchObject({ algorithm: 'SHA256', digits: 8, period: 30 });
    expect(entries[2]?.spec.period).toBe(60);
    expect(entries.map((e) => hex(e.spec.secret))).toEqual([SECRET_SHA1, SECRET_SHA256, SECRET_SHA1]);
  });

  it('makes each bad URI a problem', async () => {
    const { entries, problems } = await parseAll(fixture('otpauth-bad.txt'), otpauth);
    expect(entries.map((e) => e.spec.serial)).toEqual(['BADAUTH-1']);
    expect(problems).toEqual([
      { ref: 'line 2', reason: 'secret: invalid base32 character at position 4' },
      { ref: 'line 3', reason: 'unsupported OTP type "yubico" (hotp or totp)' },
      { ref: 'line 4', reason: 'not an otpauth:// URI' },
      { ref: 'line 5', reason: 'unsupported algorithm "MD5" (SHA1, SHA256 or SHA512); digits must be 6 or 8, not 7' },
      { ref: 'line 6', reason: 'duplicate serial "BADAUTH-1" (first at line 1)' },
      { ref: 'line 7', reason: 'the secret parameter is missing' },
    ]);
  });

  it('refuses a parameter given twice: two secrets or counters leave the token in doubt', async () => {
    const uri = 'otpauth://hotp/TWICE-1?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&counter=1&counter=5';
    const { entries, problems } = await parseAll(chunks(`${uri}\n`), otpauth);
    expect(entries).toEqual([]);
    expect(problems).toEqual([{ ref: 'line 1', reason: 'the parameter "secret" is given more than once; the parameter "counter" is given more than once' }]);
  });

  it('takes the account part of the label as the serial', async () => {
    const { problems, entries } = await parseAll(
      chunks('otpauth://totp/Example:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example\r\nnot a uri\n'),
      otpauth,
    );
    expect(entries).toEqual([]);
    expect(problems).toEqual([
      { ref: 'line 1', reason: 'serial must be 1-64 letters, digits or . _ : - /, starting with a letter or digit' },
      { ref: 'line 2', reason: 'not a URI' },
    ]);
  });

  it('bounds the length of a line', async () => {
    await expect(parseAll(chunks(`otpauth://totp/X?secret=${'A'.repeat(10_000)}`, 1000), otpauth)).rejects.toThrow(
      'line 1: line is longer than 8192 characters',
    );
  });
});
