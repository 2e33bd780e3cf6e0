import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OATHTOOL_AVAILABLE, OATHTOOL_SKIP_NOTE, oathtool } from '../../../../test/helpers/oathtool.js';
import { encodeBase32 } from './base32.js';
import { hotpGenerator } from './hotp.js';
import { HASH_ALGORITHMS, OTP_DIGITS, type HashAlgorithm, type OtpDigits } from './otp-params.js';
import { timeStep } from './totp.js';

/*
 * Cross-check with an independent implementation: oathtool from OATH Toolkit
 * (Debian package `oathtool`). Keys, counters and times are random on each
 * run; a failure message carries the oathtool command to reproduce it.
 */

function randomKey(): Buffer {
  return randomBytes(randomInt(10, 65));
}

const WINDOW = 20;

describe.skipIf(!OATHTOOL_AVAILABLE)(`cross-check with oathtool${OATHTOOL_SKIP_NOTE}`, () => {
  it('HOTP-SHA1: random keys, 6 and 8 digits, small and large counters', () => {
    for (let round = 0; round < 12; round++) {
      const key = randomKey();
      const digits = OTP_DIGITS[round % 2] as OtpDigits;
      const counter = round < 4 ? randomInt(0, 1000) : randomInt(0, 2 ** 47) * 64 + randomInt(0, 64);
      const { command, otps } = oathtool(['--hotp', '-d', String(digits), '-c', String(counter), '-w', String(WINDOW), key.toString('hex')]);
      const generate = hotpGenerator(key, { algorithm: 'SHA1', digits });
      expect(otps.map((_, i) => generate(counter + i)), command).toEqual(otps);
    }
  });

  it('TOTP with every algorithm at fixed times, periods 30 and 60 s', () => {
    for (const algorithm of HASH_ALGORITHMS) {
      for (let round = 0; round < 6; round++) {
        const key = randomKey();
        const digits = OTP_DIGITS[round % 2] as OtpDigits;
        const period = round < 3 ? 30 : 60;
        const unix = round === 0 ? 20_000_000_000 : randomInt(0, 2 ** 32);
        const args = [`--totp=${algorithm}`, '-d', String(digits), '-s', `${period}s`, '-N', `@${unix}`, '-w', '5', key.toString('hex')];
        const { command, otps } = oathtool(args);
        const step = timeStep(unix * 1000, period);
        const generate = hotpGenerator(key, { algorithm, digits });
        expect(otps.map((_, i) => generate(step + i)), command).toEqual(otps);
      }
    }
  });

  it('HOTP-SHA256/512 at large counters, as TOTP at time = counter x 30 s', () => {
    for (const algorithm of ['SHA256', 'SHA512'] as HashAlgorithm[]) {
      for (let round = 0; round < 4; round++) {
        const key = randomKey();
        const counter = randomInt(0, 2 ** 40);
        const args = [`--totp=${algorithm}`, '-d', '8', '-N', `@${counter * 30}`, '-w', '3', key.toString('hex')];
        const { command, otps } = oathtool(args);
        const generate = hotpGenerator(key, { algorithm, digits: 8 });
        expect(otps.map((_, i) => generate(counter + i)), command).toEqual(otps);
      }
    }
  });

  it('reads the same key from our Base32 as from hex', () => {
    const key = randomKey();
    const { otps } = oathtool(['-b', '-c', '5', '-w', '3', encodeBase32(key)]);
    const generate = hotpGenerator(key, { algorithm: 'SHA1', digits: 6 });
    expect(otps).toEqual([5, 6, 7, 8].map(generate));
  });
});
