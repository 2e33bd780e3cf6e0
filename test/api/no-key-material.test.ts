// SPEC §6: no response ever contains key material: not the list, one token, the CSV export, history, audit, users, or any action's answer.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addUser, uniqueSerial } from '../helpers/factories.js';
import { tokenUrl } from '../helpers/api-checks.js';
import { hotpCode } from '../helpers/otp-codes.js';
import type { HttpClient, Reply } from '../helpers/http-client.js';
import { addYubicoToken, newYubiKeyIdentity, yubicoOtp, type YubiKeyIdentity } from '../helpers/yubico-otp.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const base32 = (bytes: Buffer): string => {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  return (bits.match(/.{1,5}/g) ?? []).map((chunk) => BASE32[parseInt(chunk.padEnd(5, '0'), 2)]!).join('');
};

/** Every spelling of a key that a leak could take, long enough not to occur by chance. */
function spellings(key: Buffer): string[] {
  const forms = [key.toString('hex'), base32(key), key.toString('base64').replace(/=+$/, ''), key.toString('base64url')];
  return forms.flatMap((form) => [form, form.toLowerCase(), form.toUpperCase(), form.slice(0, 16)]);
}

for (const dialect of DIALECTS) {
  describe(`no key material in any response (${dialect})`, () => {
    let t: TestApp;
    let verifier: HttpClient;
    const secret = crypto.randomBytes(20);
    let yubikey: YubiKeyIdentity;
    const seen: Reply[] = [];
    const record = async (reply: Promise<Reply>) => {
      const r = await reply;
      expect(r.status, r.text).toBeLessThan(500);
      seen.push(r);
      return r;
    };
    beforeAll(async () => {
      t = await startTestApp(dialect);
      verifier = await t.apiKey('verifier');
      yubikey = newYubiKeyIdentity();
    });
    afterAll(async () => { await t?.close(); });

    it('walks every read and action of a token given in base32, and of a Yubico token', async () => {
      const base = `/api/v1/tenants/${t.tenant}`;
      const user = await addUser(t.admin, t.tenant, 'holder-of-secrets');
      const added = await record(t.admin.post(`${base}/hw-tokens`, { serial: uniqueSerial('SEC'), type: 'hotp', secret: base32(secret), description: 'keep it secret' }));
      const id = added.body.id as string;
      const yubi = await addYubicoToken(t.admin, t.tenant, yubikey);
      await record(t.admin.post(`${base}/hw-tokens`, { serial: uniqueSerial('SEC'), type: 'totp', secretHex: secret.toString('hex') }));
      await record(t.admin.post(tokenUrl(t, id, 'assign'), { userId: user.id, otp: hotpCode(secret, 0) }));
      await record(t.admin.post(tokenUrl(t, yubi.id, 'assign'), { userId: user.id }));
      await record(verifier.post(`${base}/verify`, { username: user.username, otp: hotpCode(secret, 1) }));
      await record(verifier.post(`${base}/verify`, { username: user.username, otp: yubicoOtp(yubikey, { useCounter: 1, sessionCounter: 0 }) }));
      await record(verifier.post(`${base}/verify`, { username: user.username, otp: '000000' }));
      await record(t.admin.post(tokenUrl(t, id, 'reset'), { otp1: hotpCode(secret, 10), otp2: hotpCode(secret, 11) }));
      await record(t.admin.post(tokenUrl(t, id, 'reset'), { otp1: hotpCode(secret, 11), otp2: hotpCode(secret, 10) }));
      await record(t.admin.post(tokenUrl(t, yubi.id, 'disable')));
      await record(t.admin.post(tokenUrl(t, id, 'unlock')));
      for (const url of [
        `${base}/hw-tokens`, `${base}/hw-tokens?q=secret`, tokenUrl(t, id), tokenUrl(t, yubi.id), tokenUrl(t, id, 'history'),
        tokenUrl(t, yubi.id, 'history'), `${base}/hw-tokens.csv`, `${base}/hw-tokens/stats`, `${base}/audit?limit=500`,
        `${base}/users/${user.id}`, `${base}/users?q=holder`,
      ]) await record(t.admin.get(url));
      // Refusals too: a duplicate carrying the same key, and an assignment that fails.
      await record(t.admin.post(`${base}/hw-tokens`, { serial: added.body.serial, type: 'hotp', secret: base32(secret) }));
      await record(t.admin.post(tokenUrl(t, id, 'assign'), { userId: user.id }));
      await record(t.admin.post(tokenUrl(t, id, 'compromise'), { reason: 'left on a desk' }));
      await record(t.admin.get(tokenUrl(t, id)));

      const csv = seen.find((r) => String(r.headers['content-type']).startsWith('text/csv'));
      expect(csv?.text).toContain(added.body.serial);
      const secrets = [...spellings(secret), ...spellings(yubikey.aesKey), yubikey.privateId.toString('hex')];
      for (const reply of seen) {
        for (const leaked of secrets) expect(reply.text.includes(leaked), `${leaked} in ${reply.text.slice(0, 200)}`).toBe(false);
        expect(/secret_enc|"secret(Hex)?"\s*:|"aesKey"\s*:|"privateId"\s*:/i.test(reply.text), reply.text.slice(0, 200)).toBe(false);
      }
    });
  });
}
