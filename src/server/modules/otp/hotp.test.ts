import { describe, expect, it, vi } from 'vitest';
import { counterMac } from './hmac-counter.js';
import { findHotp, findHotpPair, hotp, hotpGenerator, isWellFormedOtp, MAX_COUNTER } from './hotp.js';
import type { HmacOtpParams } from './otp-params.js';

// Spy on the HMAC factory to prove malformed input is refused before any key work.
vi.mock('./hmac-counter.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./hmac-counter.js')>();
  return { ...original, counterMac: vi.fn(original.counterMac) };
});

const RFC_KEY = Buffer.from('12345678901234567890');
const SIX: HmacOtpParams = { algorithm: 'SHA1', digits: 6 };
const EIGHT: HmacOtpParams = { algorithm: 'SHA1', digits: 8 };

// RFC 4226 Appendix D: HOTP values for counters 0-9.
const RFC4226_HOTP = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
// RFC 4226 Appendix D "Truncated Decimal" column, mod 10^8 (8-digit HOTP).
const RFC4226_TRUNCATED = [1284755224, 1094287082, 137359152, 1726969429, 1640338314, 868254676, 1918287922, 82162583, 673399871, 645520489];

/** A code that HOTP does not produce for `key` at any counter of from..to. */
function codeNotIn(from: number, to: number): string {
  const generate = hotpGenerator(RFC_KEY, SIX);
  const used = new Set(Array.from({ length: to - from + 1 }, (_, i) => generate(from + i)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!used.has(code)) return code;
  }
}

/** Two counters, the first ones from 0, whose 6-digit HOTPs are equal. */
function firstCollision(): [number, number] {
  const generate = hotpGenerator(RFC_KEY, SIX);
  const seen = new Map<string, number>();
  for (let counter = 0; ; counter++) {
    const earlier = seen.get(generate(counter));
    if (earlier !== undefined) return [earlier, counter];
    seen.set(generate(counter), counter);
  }
}

describe('hotp (RFC 4226)', () => {
  it.each(RFC4226_HOTP.map((otp, counter) => [counter, otp] as const))('counter %i gives %s (Appendix D)', (counter, otp) => {
    expect(hotp(RFC_KEY, counter, SIX)).toBe(otp);
  });

  it('gives 8 digits with leading zeros from the Appendix D truncated values', () => {
    const expected = RFC4226_TRUNCATED.map((value) => String(value % 1e8).padStart(8, '0'));
    expect(RFC4226_TRUNCATED.map((_, counter) => hotp(RFC_KEY, counter, EIGHT))).toEqual(expected);
    expect(hotp(RFC_KEY, 8, EIGHT)).toBe('73399871');
  });

  it('accepts counters up to 2^53 - 1 and refuses others', () => {
    expect(hotp(RFC_KEY, MAX_COUNTER, SIX)).toMatch(/^[0-9]{6}$/);
    for (const counter of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => hotp(RFC_KEY, counter, SIX)).toThrow(RangeError);
    }
  });

  it('generator gives the same values as hotp', () => {
    const generate = hotpGenerator(RFC_KEY, SIX);
    expect(RFC4226_HOTP.map((_, counter) => generate(counter))).toEqual(RFC4226_HOTP);
  });
});

describe('isWellFormedOtp', () => {
  it('accepts exactly `digits` ASCII digits', () => {
    expect(isWellFormedOtp('012345', 6)).toBe(true);
    expect(isWellFormedOtp('01234567', 8)).toBe(true);
    for (const otp of ['', '12345', '1234567', '01234567', '12345a', ' 123456', '123456\n', '１２３４５６', '١٢٣٤٥٦', '+12345', '1e5000']) {
      expect(isWellFormedOtp(otp, 6), JSON.stringify(otp)).toBe(false);
    }
  });
});

describe('findHotp', () => {
  it('returns the matched counter within the look-ahead window', () => {
    expect(findHotp(RFC_KEY, SIX, '338314', 0, 10)).toBe(4);
    expect(findHotp(RFC_KEY, SIX, '338314', 4, 1)).toBe(4);
    expect(findHotp(RFC_KEY, SIX, '520489', 0, 10)).toBe(9);
  });

  it('does not look before fromCounter nor past fromCounter + window - 1', () => {
    expect(findHotp(RFC_KEY, SIX, '338314', 5, 10)).toBeUndefined();
    expect(findHotp(RFC_KEY, SIX, '520489', 0, 9)).toBeUndefined();
    expect(findHotp(RFC_KEY, SIX, '755224', 0, 0)).toBeUndefined();
  });

  it('stops at the first of two counters with the same code', () => {
    const [first, second] = firstCollision();
    const otp = hotp(RFC_KEY, first, SIX);
    expect(hotp(RFC_KEY, second, SIX)).toBe(otp);
    expect(findHotp(RFC_KEY, SIX, otp, 0, second + 1)).toBe(first);
    expect(findHotp(RFC_KEY, SIX, otp, first + 1, second)).toBe(second);
  });

  it('refuses malformed OTPs without computing anything', () => {
    vi.mocked(counterMac).mockClear();
    for (const otp of ['33831', '3383140', '33831a', ' 338314', '３３８３１４', '']) {
      expect(findHotp(RFC_KEY, SIX, otp, 0, 10)).toBeUndefined();
    }
    expect(findHotp(RFC_KEY, EIGHT, '338314', 0, 10)).toBeUndefined();
    expect(findHotpPair(RFC_KEY, SIX, '755224', '28708x', 0, 10)).toEqual({ ok: false, reason: 'not_found' });
    expect(counterMac).not.toHaveBeenCalled();
  });

  it('ends the window at the largest counter instead of overflowing', () => {
    const otp = hotp(RFC_KEY, MAX_COUNTER, SIX);
    expect(findHotp(RFC_KEY, SIX, otp, MAX_COUNTER - 2, 10)).toBe(MAX_COUNTER);
  });

  it('finds nothing past the largest counter: a token that used it is spent', () => {
    const otp = hotp(RFC_KEY, MAX_COUNTER, SIX);
    expect(findHotp(RFC_KEY, SIX, otp, MAX_COUNTER + 1, 10)).toBeUndefined();
    expect(findHotpPair(RFC_KEY, SIX, otp, otp, MAX_COUNTER + 1, 10)).toEqual({ ok: false, reason: 'not_found' });
    expect(() => findHotp(RFC_KEY, SIX, otp, 2 ** 53 + 2, 10)).toThrow(RangeError);
  });

  it('throws on an invalid counter or window (a caller bug, not a wrong OTP)', () => {
    expect(() => findHotp(RFC_KEY, SIX, '755224', -1, 10)).toThrow(RangeError);
    expect(() => findHotp(RFC_KEY, SIX, '755224', 0, -1)).toThrow(RangeError);
    expect(() => findHotp(RFC_KEY, SIX, '755224', 0, 2.5)).toThrow(RangeError);
  });
});

describe('findHotpPair (resync, SPEC §4)', () => {
  it('returns c with otp1 = HOTP(c) and otp2 = HOTP(c + 1)', () => {
    expect(findHotpPair(RFC_KEY, SIX, '755224', '287082', 0, 10)).toEqual({ ok: true, counter: 0 });
    expect(findHotpPair(RFC_KEY, SIX, '399871', '520489', 0, 10)).toEqual({ ok: true, counter: 8 });
    expect(findHotpPair(RFC_KEY, SIX, '399871', '520489', 3, 6)).toEqual({ ok: true, counter: 8 });
  });

  it('searches c only in fromCounter .. fromCounter + window - 1', () => {
    expect(findHotpPair(RFC_KEY, SIX, '399871', '520489', 3, 5).ok).toBe(false);
    expect(findHotpPair(RFC_KEY, SIX, '755224', '287082', 1, 10).ok).toBe(false);
    expect(findHotpPair(RFC_KEY, SIX, '755224', '287082', 0, 0)).toEqual({ ok: false, reason: 'not_found' });
  });

  it("answers 'order' when the two OTPs are consecutive but swapped", () => {
    expect(findHotpPair(RFC_KEY, SIX, '969429', '359152', 0, 10)).toEqual({ ok: false, reason: 'order' });
  });

  it("answers 'not_consecutive' when both are in the window but apart", () => {
    expect(findHotpPair(RFC_KEY, SIX, '359152', '254676', 0, 10)).toEqual({ ok: false, reason: 'not_consecutive' });
    expect(findHotpPair(RFC_KEY, SIX, '254676', '359152', 0, 10)).toEqual({ ok: false, reason: 'not_consecutive' });
    expect(findHotpPair(RFC_KEY, SIX, '359152', '359152', 0, 10)).toEqual({ ok: false, reason: 'not_consecutive' });
  });

  it("answers 'not_found' when either OTP is not in the window", () => {
    const absent = codeNotIn(0, 10);
    expect(findHotpPair(RFC_KEY, SIX, '359152', absent, 0, 10)).toEqual({ ok: false, reason: 'not_found' });
    expect(findHotpPair(RFC_KEY, SIX, absent, '359152', 0, 10)).toEqual({ ok: false, reason: 'not_found' });
    expect(findHotpPair(RFC_KEY, SIX, absent, codeNotIn(0, 10), 0, 10)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('finds a pair far into a large window', () => {
    const [otp1, otp2] = [hotp(RFC_KEY, 999, SIX), hotp(RFC_KEY, 1000, SIX)];
    expect(findHotpPair(RFC_KEY, SIX, otp1, otp2, 0, 1000)).toEqual({ ok: true, counter: 999 });
    expect(findHotpPair(RFC_KEY, SIX, otp1, otp2, 0, 999).ok).toBe(false);
  });

  it('ends the window so that c + 1 stays a counter', () => {
    const [otp1, otp2] = [hotp(RFC_KEY, MAX_COUNTER - 1, SIX), hotp(RFC_KEY, MAX_COUNTER, SIX)];
    expect(findHotpPair(RFC_KEY, SIX, otp1, otp2, MAX_COUNTER - 5, 100)).toEqual({ ok: true, counter: MAX_COUNTER - 1 });
  });
});
