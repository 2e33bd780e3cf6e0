// SPEC §5 Yubico OTP: the public id selects the token; CRC, private id and strictly rising (use, session) counters decide.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addUser } from '../helpers/factories.js';
import { expectProblem, tokenUrl } from '../helpers/api-checks.js';
import { holderOf } from '../helpers/otp-codes.js';
import type { HttpClient } from '../helpers/http-client.js';
import { addYubicoToken, SimulatedYubiKey, yubicoOtp } from '../helpers/yubico-otp.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

for (const dialect of DIALECTS) {
  describe(`verification of Yubico OTPs (${dialect})`, () => {
    let t: TestApp;
    let verifier: HttpClient;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      verifier = await t.apiKey('verifier');
    });
    afterAll(async () => { await t?.close(); });

    const verify = async (username: string, otp: string) => {
      const reply = await verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username, otp });
      expect(reply.status, reply.text).toBe(200);
      return reply.body;
    };
    const rejected = { accepted: false, reason: 'rejected' };
    /** A user holding a new YubiKey. */
    const holder = async () => {
      const key = new SimulatedYubiKey();
      const user = await addUser(t.admin, t.tenant);
      const token = await addYubicoToken(t.admin, t.tenant, key.identity, { vendor: 'Yubico', model: 'YubiKey 5 NFC' });
      const assigned = await t.admin.post(tokenUrl(t, token.id, 'assign'), { userId: user.id });
      expect(assigned.status, assigned.text).toBe(200);
      return { key, user, token, accepted: { accepted: true, tokenId: token.id, serial: token.serial } };
    };

    it('adds a yubico token from publicId, privateId and aesKey, and shows none of them', async () => {
      const { key, token } = await holder();
      expect(token).toMatchObject({ type: 'yubico', status: 'active', algorithm: null, digits: null, period: null, capabilities: { reset: false } });
      const text = JSON.stringify((await t.admin.get(tokenUrl(t, token.id))).body);
      for (const secret of [key.identity.aesKey.toString('hex'), key.identity.privateId.toString('hex')]) {
        expect(text.toLowerCase()).not.toContain(secret);
      }
    });

    it('accepts each press once, in counter order', async () => {
      const { key, user, accepted } = await holder();
      const first = key.press();
      expect(await verify(user.username, first)).toEqual(accepted);
      expect(await verify(user.username, first)).toEqual(rejected);
      const second = key.press();
      const third = key.press();
      expect(await verify(user.username, third)).toEqual(accepted);
      // An OTP generated before the last accepted one is a replay, though never used.
      expect(await verify(user.username, second)).toEqual(rejected);
      key.powerCycle();
      expect(await verify(user.username, key.press())).toEqual(accepted);
    });

    it('compares the use counter before the session counter', async () => {
      const { key, user, accepted } = await holder();
      const identity = key.identity;
      expect(await verify(user.username, yubicoOtp(identity, { useCounter: 5, sessionCounter: 200 }))).toEqual(accepted);
      expect(await verify(user.username, yubicoOtp(identity, { useCounter: 5, sessionCounter: 199 }))).toEqual(rejected);
      expect(await verify(user.username, yubicoOtp(identity, { useCounter: 4, sessionCounter: 255 }))).toEqual(rejected);
      expect(await verify(user.username, yubicoOtp(identity, { useCounter: 6, sessionCounter: 0 }))).toEqual(accepted);
    });

    it('refuses a bad CRC, a wrong private id and a wrong AES key', async () => {
      const { key, user, accepted } = await holder();
      const identity = key.identity;
      expect(await verify(user.username, yubicoOtp(identity, { useCounter: 1, sessionCounter: 1, badCrc: true }))).toEqual(rejected);
      const otherPrivate = Buffer.from(identity.privateId.map((b) => b ^ 0xff));
      expect(await verify(user.username, yubicoOtp(identity, { useCounter: 1, sessionCounter: 2, privateId: otherPrivate }))).toEqual(rejected);
      const forged = { ...identity, aesKey: Buffer.alloc(16, 7) };
      expect(await verify(user.username, yubicoOtp(forged, { useCounter: 1, sessionCounter: 3 }))).toEqual(rejected);
      expect(await verify(user.username, yubicoOtp(identity, { useCounter: 1, sessionCounter: 4 }))).toEqual(accepted);
    });

    it("refuses another key's OTP, and OTPs of a key nobody holds", async () => {
      const mine = await holder();
      const theirs = await holder();
      expect(await verify(mine.user.username, theirs.key.press())).toEqual(rejected);
      const stock = new SimulatedYubiKey();
      await addYubicoToken(t.admin, t.tenant, stock.identity);
      expect(await verify(mine.user.username, stock.press())).toEqual(rejected);
      expect(await verify(mine.user.username, mine.key.press())).toEqual(mine.accepted);
    });

    it('reads an OTP typed with caps lock on', async () => {
      const { key, user, accepted } = await holder();
      expect(await verify(user.username, key.press().toUpperCase())).toEqual(accepted);
    });

    it('picks the Yubico token among HOTP ones of the same user', async () => {
      const { key, user, token } = await holder();
      const { tokens } = await holderOf(t.admin, t.tenant, [{}]);
      expect((await t.admin.post(tokenUrl(t, tokens[0]!.token.id, 'unassign'))).status).toBe(200);
      expect((await t.admin.post(tokenUrl(t, tokens[0]!.token.id, 'assign'), { userId: user.id })).status).toBe(200);
      expect(await verify(user.username, tokens[0]!.code(0))).toEqual({ accepted: true, tokenId: tokens[0]!.token.id, serial: tokens[0]!.token.serial });
      expect(await verify(user.username, key.press())).toEqual({ accepted: true, tokenId: token.id, serial: token.serial });
    });

    it('counts a wrong OTP only on the tokens it could be for: digit guesses do not lock the YubiKey, nor an unknown key the HOTP token', async () => {
      const { key, user, token } = await holder();
      const { tokens } = await holderOf(t.admin, t.tenant, [{}]);
      const hotpToken = tokens[0]!;
      expect((await t.admin.post(tokenUrl(t, hotpToken.token.id, 'unassign'))).status).toBe(200);
      expect((await t.admin.post(tokenUrl(t, hotpToken.token.id, 'assign'), { userId: user.id })).status).toBe(200);
      const failCount = async (id: string) => (await t.admin.get(tokenUrl(t, id))).body.failCount;
      const stranger = new SimulatedYubiKey();
      expect(await verify(user.username, stranger.press())).toEqual(rejected);
      expect(await verify(user.username, '12345678')).toEqual(rejected);
      expect([await failCount(token.id), await failCount(hotpToken.token.id)]).toEqual([0, 0]);
      const guess = hotpToken.code(0) === '000000' ? '000001' : '000000';
      for (let i = 0; i < 10; i++) expect(await verify(user.username, guess)).toEqual(rejected);
      expect((await t.admin.get(tokenUrl(t, hotpToken.token.id))).body).toMatchObject({ failCount: 10, locked: true });
      expect((await t.admin.get(tokenUrl(t, token.id))).body).toMatchObject({ failCount: 0, locked: false });
      expect(await verify(user.username, key.press())).toEqual({ accepted: true, tokenId: token.id, serial: token.serial });
    });

    it('refuses a second token with the same public id, and malformed key fields', async () => {
      const { key } = await holder();
      const duplicate = await t.admin.post(`/api/v1/tenants/${t.tenant}/hw-tokens`, {
        serial: 'YK-DUP-1', type: 'yubico', publicId: key.identity.publicId, privateId: 'aabbccddeeff', aesKey: '00'.repeat(16),
      });
      expectProblem(duplicate, 409, 'DUPLICATE_SERIAL');
      for (const bad of [{ publicId: 'xyz123' }, { privateId: 'aabb' }, { aesKey: '00'.repeat(15) }]) {
        const reply = await t.admin.post(`/api/v1/tenants/${t.tenant}/hw-tokens`, {
          serial: 'YK-BAD-1', type: 'yubico', publicId: 'cccccbcdefgh', privateId: 'aabbccddeeff', aesKey: '00'.repeat(16), ...bad,
        });
        expectProblem(reply, 400, 'VALIDATION_FAILED');
      }
    });
  });
}
