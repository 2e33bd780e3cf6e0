import { describe, expect, it } from 'vitest';
import { hotpGenerator } from './hotp.js';
import type { HashAlgorithm, HmacOtpParams } from './otp-params.js';
import { findTotp, findTotpPair, timeStep, totp } from './totp.js';

// RFC 6238 Appendix B: the seed of each mode is the ASCII digits "1234567890"
// repeated to the hash length (20, 32, 64 bytes); 8 digits, X = 30 s, T0 = 0.
const SEEDS: Record<HashAlgorithm, Buffer> = {
  SHA1: Buffer.from('12345678901234567890'),
  SHA256: Buffer.from('12345678901234567890123456789012'),
  SHA512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};

const RFC6238_VECTORS: Array<[number, number, HashAlgorithm, string]> = [
  [59, 0x1, 'SHA1', '94287082'],
  [59, 0x1, 'SHA256', '46119246'],
  [59, 0x1, 'SHA512', '90693936'],
  [1111111109, 0x23523ec, 'SHA1', '07081804'],
  [1111111109, 0x23523ec, 'SHA256', '68084774'],
  [1111111109, 0x23523ec, 'SHA512', '25091201'],
  [1111111111, 0x23523ed, 'SHA1', '14050471'],
  [1111111111, 0x23523ed, 'SHA256', '67062674'],
  [1111111111, 0x23523ed, 'SHA512', '99943326'],
  [1234567890, 0x273ef07, 'SHA1', '89005924'],
  [1234567890, 0x273ef07, 'SHA256', '91819424'],
  [1234567890, 0x273ef07, 'SHA512', '93441116'],
  [2000000000, 0x3f940aa, 'SHA1', '69279037'],
  [2000000000, 0x3f940aa, 'SHA256', '90698825'],
  [2000000000, 0x3f940aa, 'SHA512', '38618901'],
  [20000000000, 0x27bc86aa, 'SHA1', '65353130'],
  [20000000000, 0x27bc86aa, 'SHA256', '77737706'],
  [20000000000, 0x27bc86aa, 'SHA512', '47863826'],
];

const KEY = SEEDS.SHA1;
const SIX: HmacOtpParams = { algorithm: 'SHA1', digits: 6 };
const code = (step: number) => totp(KEY, step, SIX);

/** Two steps, the first from 0, whose 6-digit TOTPs are equal. */
function firstCollision(): [number, number] {
  const generate = hotpGenerator(KEY, SIX);
  const seen = new Map<string, number>();
  for (let step = 0; ; step++) {
    const earlier = seen.get(generate(step));
    if (earlier !== undefined) return [earlier, step];
    seen.set(generate(step), step);
  }
}

describe('totp (RFC 6238 Appendix B)', () => {
  it.each(RFC6238_VECTORS)('at %i s (step %i) %s gives %s', (unixSeconds, step, algorithm, otp) => {
    expect(timeStep(unixSeconds * 1000, 30)).toBe(step);
    expect(totp(SEEDS[algorithm], step, { algorithm, digits: 8 })).toBe(otp);
  });
});

describe('timeStep', () => {
  it('floors unix time in ms to whole periods', () => {
    expect([0, 29_999, 30_000, 59_999, 60_000].map((ms) => timeStep(ms, 30))).toEqual([0, 0, 1, 1, 2]);
    expect([59_999, 60_000, 119_999].map((ms) => timeStep(ms, 60))).toEqual([0, 1, 1]);
  });

  it('refuses times and periods that have no step', () => {
    expect(() => timeStep(-1, 30)).toThrow(RangeError);
    expect(() => timeStep(Number.NaN, 30)).toThrow(RangeError);
    expect(() => timeStep(1000, 0)).toThrow(RangeError);
    expect(() => timeStep(1000, 1.5)).toThrow(RangeError);
  });
});

describe('findTotp', () => {
  const center = 1000;

  it('accepts the center step and steps up to ± window from it', () => {
    expect(findTotp(KEY, SIX, code(center), { centerStep: center, window: 1 })).toBe(center);
    expect(findTotp(KEY, SIX, code(center + 1), { centerStep: center, window: 1 })).toBe(center + 1);
    expect(findTotp(KEY, SIX, code(center - 1), { centerStep: center, window: 1 })).toBe(center - 1);
    expect(findTotp(KEY, SIX, code(center + 2), { centerStep: center, window: 1 })).toBeUndefined();
    expect(findTotp(KEY, SIX, code(center - 2), { centerStep: center, window: 1 })).toBeUndefined();
    expect(findTotp(KEY, SIX, code(center + 1), { centerStep: center, window: 0 })).toBeUndefined();
  });

  it('tries the steps nearest the center first', () => {
    const [early, late] = firstCollision();
    const otp = code(early);
    const window = late - early;
    expect(findTotp(KEY, SIX, otp, { centerStep: late - 1, window })).toBe(late);
    expect(findTotp(KEY, SIX, otp, { centerStep: early + 1, window })).toBe(early);
  });

  it('never accepts a step at or before afterStep (replay)', () => {
    const search = { centerStep: center, window: 1 };
    expect(findTotp(KEY, SIX, code(center), { ...search, afterStep: center })).toBeUndefined();
    expect(findTotp(KEY, SIX, code(center - 1), { ...search, afterStep: center - 1 })).toBeUndefined();
    expect(findTotp(KEY, SIX, code(center), { ...search, afterStep: center + 5 })).toBeUndefined();
    expect(findTotp(KEY, SIX, code(center), { ...search, afterStep: center - 1 })).toBe(center);
    expect(findTotp(KEY, SIX, code(center + 1), { ...search, afterStep: center })).toBe(center + 1);
    expect(findTotp(KEY, SIX, code(center), { ...search, afterStep: null })).toBe(center);
  });

  it('skips a used step to a later one showing the same code', () => {
    const [early, late] = firstCollision();
    const search = { centerStep: early, window: late - early };
    expect(findTotp(KEY, SIX, code(early), search)).toBe(early);
    expect(findTotp(KEY, SIX, code(early), { ...search, afterStep: early })).toBe(late);
  });

  it('refuses malformed OTPs', () => {
    const otp = code(center);
    for (const bad of [otp.slice(1), `${otp}0`, ` ${otp}`, otp.replace(/.$/, 'x')]) {
      expect(findTotp(KEY, SIX, bad, { centerStep: center, window: 1 })).toBeUndefined();
    }
  });

  it('does not compute steps before 0', () => {
    expect(findTotp(KEY, SIX, code(0), { centerStep: 0, window: 3 })).toBe(0);
  });
});

describe('findTotpPair (resync, SPEC §4)', () => {
  const center = 50_000;
  const window = 10;

  it('returns s with otp1 = TOTP(s) and otp2 = TOTP(s + 1), s within ± window', () => {
    for (const s of [center - window, center - 3, center, center + window]) {
      expect(findTotpPair(KEY, SIX, code(s), code(s + 1), center, window)).toEqual({ ok: true, step: s });
    }
  });

  it('does not look for s outside ± window', () => {
    expect(findTotpPair(KEY, SIX, code(center + window + 1), code(center + window + 2), center, window).ok).toBe(false);
    expect(findTotpPair(KEY, SIX, code(center - window - 1), code(center - window), center, window).ok).toBe(false);
  });

  it('tells swapped, apart and unknown OTPs apart', () => {
    expect(findTotpPair(KEY, SIX, code(center + 1), code(center), center, window)).toEqual({ ok: false, reason: 'order' });
    expect(findTotpPair(KEY, SIX, code(center), code(center + 2), center, window)).toEqual({
      ok: false,
      reason: 'not_consecutive',
    });
    expect(findTotpPair(KEY, SIX, code(center), code(center + 1000), center, window)).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect(findTotpPair(KEY, SIX, code(center), 'abcdef', center, window)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('clamps the window at step 0', () => {
    expect(findTotpPair(KEY, SIX, code(0), code(1), 2, 5)).toEqual({ ok: true, step: 0 });
  });
});
