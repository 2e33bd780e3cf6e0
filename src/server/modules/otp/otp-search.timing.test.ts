import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { findHotp, findHotpPair, hotp } from './hotp.js';
import { HASH_ALGORITHMS, type HmacOtpParams } from './otp-params.js';

/*
 * Timings of the window searches, logged for the record, never asserted:
 * a shared CI machine is too noisy for a timed assertion. The goal is a
 * 10,000-counter resync with the match at the end under 10 ms for SHA-1.
 */

function timeMs(runs: number, task: () => void): { median: number; min: number } {
  for (let i = 0; i < 3; i++) task();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    task();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(runs / 2)]!, min: samples[0]! };
}

const format = ({ median, min }: { median: number; min: number }, unit: 'ms' | 'µs') => {
  const scale = unit === 'ms' ? 1 : 1000;
  return `median ${(median * scale).toFixed(unit === 'ms' ? 2 : 1)} ${unit}, min ${(min * scale).toFixed(unit === 'ms' ? 2 : 1)} ${unit}`;
};

describe('window search timings (logged)', () => {
  for (const algorithm of HASH_ALGORITHMS) {
    const params: HmacOtpParams = { algorithm, digits: 6 };
    const key = randomBytes(20);

    it(`${algorithm}: findHotpPair over 10,000 counters, match at the end`, () => {
      const [otp1, otp2] = [hotp(key, 9_999, params), hotp(key, 10_000, params)];
      let result = findHotpPair(key, params, otp1, otp2, 0, 10_000);
      const timing = timeMs(9, () => {
        result = findHotpPair(key, params, otp1, otp2, 0, 10_000);
      });
      expect(result).toEqual({ ok: true, counter: 9_999 });
      console.log(`[timing] ${algorithm} findHotpPair 10,000-counter window, worst case: ${format(timing, 'ms')}`);
    });

    it(`${algorithm}: findHotp over 10 counters, match at the end`, () => {
      const otp = hotp(key, 1_009, params);
      let counter: number | undefined;
      const timing = timeMs(501, () => {
        counter = findHotp(key, params, otp, 1_000, 10);
      });
      expect(counter).toBe(1_009);
      console.log(`[timing] ${algorithm} findHotp 10-counter window incl. key setup: ${format(timing, 'µs')}`);
    });
  }

  it('reference: the same 10,001 HMAC-SHA1 with node:crypto createHmac', () => {
    const key = randomBytes(20);
    const message = Buffer.alloc(8);
    const timing = timeMs(5, () => {
      for (let counter = 0; counter <= 10_000; counter++) {
        message.writeUInt32BE(counter, 4);
        createHmac('sha1', key).update(message).digest();
      }
    });
    console.log(`[timing] reference: 10,001 createHmac('sha1') calls: ${format(timing, 'ms')}`);
  });
});
