import { describe, expect, it } from 'vitest';
import { bytesEqual, otpCodeMatcher } from './constant-time.js';

/** [code, digits, typed]: the typed OTP matches when it is the code with its leading zeros. */
const CASES: Array<[number, number, string]> = [
  [123456, 6, '123456'],
  [123456, 6, '123457'],
  [23456, 6, '023456'],
  [23456, 6, '23456'],
  [123456, 6, '1234567'],
  [4711, 8, '00004711'],
  [4711, 6, '00004711'],
  [0, 6, '000000'],
  [0, 6, ''],
  [123456, 6, '１２３４５６'],
  [123456, 6, ' 23456'],
  [123456, 6, '123456 '],
  [100, 6, '0001e2'],
  [255, 6, '0x00ff'],
  [12, 6, '0012.0'],
  [1, 6, '-00001'],
];

describe('otpCodeMatcher', () => {
  it.each(CASES)('code %d with %d digits vs %j is equality of the shown OTP', (code, digits, typed) => {
    expect(otpCodeMatcher(typed, digits)(code)).toBe(String(code).padStart(digits, '0') === typed);
  });

  it('stays reusable across many candidates', () => {
    const matches = otpCodeMatcher('004711', 6);
    expect([0, 4711, 4712, 4711].map(matches)).toEqual([false, true, false, true]);
  });
});

describe('bytesEqual', () => {
  it('is false for different lengths and compares content otherwise', () => {
    expect(bytesEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3]))).toBe(true);
    expect(bytesEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 4]))).toBe(false);
    expect(bytesEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2]))).toBe(false);
  });
});
