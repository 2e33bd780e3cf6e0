// Interoperability: OTPs computed by oathtool (OATH Toolkit, an independent implementation) verify through the API.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { OATHTOOL_AVAILABLE, OATHTOOL_SKIP_NOTE, oathtool as runOathtool } from '../helpers/oathtool.js';
import { addUser, uniqueSerial } from '../helpers/factories.js';
import { tokenUrl } from '../helpers/api-checks.js';
import type { HttpClient } from '../helpers/http-client.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** The OTPs oathtool prints, one per line. */
const oathtool = (args: string[]): string[] => runOathtool(args).otps;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const base32 = (bytes: Buffer): string => {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  return (bits.match(/.{1,5}/g) ?? []).map((chunk) => BASE32[parseInt(chunk.padEnd(5, '0'), 2)]!).join('');
};

for (const dialect of DIALECTS) {
  describe.skipIf(!OATHTOOL_AVAILABLE)(`OTPs from oathtool verify through the API (${dialect})${OATHTOOL_SKIP_NOTE}`, () => {
    let t: TestApp;
    let verifier: HttpClient;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      verifier = await t.apiKey('verifier');
    });
    afterAll(async () => { await t?.close(); });

    /** A user holding a new token with a random key (given to the API in base32 or hex). */
    const holder = async (body: Record<string, unknown>, key = crypto.randomBytes(20), encoding: 'base32' | 'hex' = 'base32') => {
      const user = await addUser(t.admin, t.tenant);
      const added = await t.admin.post(`/api/v1/tenants/${t.tenant}/hw-tokens`, {
        serial: uniqueSerial('OATH'), ...body, ...(encoding === 'base32' ? { secret: base32(key) } : { secretHex: key.toString('hex') }),
      });
      expect(added.status, added.text).toBe(201);
      expect((await t.admin.post(tokenUrl(t, added.body.id, 'assign'), { userId: user.id })).status).toBe(200);
      return { user, key, token: added.body, accepted: { accepted: true, tokenId: added.body.id, serial: added.body.serial } };
    };
    const verify = async (username: string, otp: string) => (await verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username, otp })).body;

    it('HOTP, SHA-1, 6 digits (key given in base32): counters 0, 1, 2 and then 7', async () => {
      const { user, key, accepted } = await holder({ type: 'hotp' });
      const otps = oathtool(['--hotp', '-b', '-c', '0', '-w', '7', base32(key)]);
      expect(otps).toHaveLength(8);
      for (const otp of [otps[0]!, otps[1]!, otps[2]!, otps[7]!]) {
        expect(otp).toMatch(/^\d{6}$/);
        expect(await verify(user.username, otp), otp).toEqual(accepted);
      }
      expect(await verify(user.username, otps[5]!)).toEqual({ accepted: false, reason: 'rejected' });
    });

    it('HOTP, 8 digits (key given in hex), from a starting counter', async () => {
      const { user, key, accepted } = await holder({ type: 'hotp', digits: 8, counter: 1000 }, crypto.randomBytes(32), 'hex');
      const [otp] = oathtool(['--hotp', '-d', '8', '-c', '1003', key.toString('hex')]);
      expect(otp).toMatch(/^\d{8}$/);
      expect(await verify(user.username, otp!)).toEqual(accepted);
    });

    it('HOTP reset with two consecutive OTPs from oathtool', async () => {
      const { user, key, token, accepted } = await holder({ type: 'hotp' });
      const [first, second, third] = oathtool(['--hotp', '-c', '640', '-w', '2', key.toString('hex')]);
      const reset = await t.admin.post(tokenUrl(t, token.id, 'reset'), { otp1: first, otp2: second });
      expect(reset.status, reset.text).toBe(200);
      expect(await verify(user.username, third!)).toEqual(accepted);
    });

    for (const [algorithm, digits, period] of [['SHA256', 6, 30], ['SHA512', 8, 30], ['SHA256', 8, 60], ['SHA1', 6, 30]] as const) {
      it(`TOTP, ${algorithm}, ${digits} digits, ${period} s, at a time oathtool is told with -N`, async () => {
        const keyBytes = algorithm === 'SHA512' ? 64 : algorithm === 'SHA256' ? 32 : 20;
        const { user, key, accepted } = await holder({ type: 'totp', algorithm, digits, period }, crypto.randomBytes(keyBytes), 'hex');
        // A moment in the past: the operator's session (started now) stays valid.
        const unix = 1_500_000_000 + crypto.randomInt(0, 200_000_000);
        t.clock.set(unix * 1000);
        const args = [`--totp=${algorithm.toLowerCase()}`, '-d', String(digits), '-s', `${period}s`, '-N', `@${unix}`, key.toString('hex')];
        const [otp] = oathtool(args);
        expect(otp).toMatch(new RegExp(`^\\d{${digits}}$`));
        expect(await verify(user.username, otp!), `oathtool ${args.join(' ')}`).toEqual(accepted);
        // One period later oathtool's next OTP verifies as well; the first is spent.
        t.clock.advance(period * 1000);
        const [next] = oathtool([...args.slice(0, -2), `@${unix + period}`, key.toString('hex')]);
        expect(await verify(user.username, otp!)).toEqual({ accepted: false, reason: 'rejected' });
        expect(await verify(user.username, next!)).toEqual(accepted);
      });
    }
  });
}
