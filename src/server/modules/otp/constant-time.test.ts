import { describe, expect, it } from 'vitest';
import { bytesEqual, otpEquals, otpMatcher } from './constant-time.js';

const CASES: Array<[string, string]> = [
  ['123456', '123456'],
  ['123456', '123457'],
  ['123456', '023456'],
  ['123456', '12345'],
  ['123456', '1234567'],
  ['12345678', '12345678'],
  ['', ''],
  ['123456', ''],
  ['123456', '１２３４５６'],
  ['ı23456', '123456'],
];

describe('otpEquals', () => {
  it.each(CASES)('%j vs %j is plain string equality', (expected, given) => {
    expect(otpEquals(expected, given)).toBe(expected === given);
  });
});

describe('otpMatcher', () => {
  it.each(CASES)('agrees with otpEquals for %j vs %j', (expected, given) => {
    expect(otpMatcher(given)(expected)).toBe(otpEquals(expected, given));
  });

  it('stays reusable across many candidates', () => {
    const matches = otpMatcher('004711');
    expect(['000000', '004711', '004712', '004711'].map(matches)).toEqual([false, true, false, true]);
  });
});

describe('bytesEqual', () => {
  it('is false for different lengths and compares content otherwise', () => {
    expect(bytesEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3]))).toBe(true);
    expect(bytesEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 4]))).toBe(false);
    expect(bytesEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2]))).toBe(false);
  });
});
