import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotp } from '../../src/server/modules/otp/index.js';
import { DIALECTS } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { addToken, userWithTokens } from '../helpers/factories.js';

for (const dialect of DIALECTS) {
  describe(`smoke (${dialect})`, () => {
    let t: TestApp;
    beforeAll(async () => { t = await startTestApp(dialect); });
    afterAll(async () => { await t?.close(); });

    it('adds, lists, assigns and verifies a token', async () => {
      const { user, tokens } = await userWithTokens(t.admin, t.tenant, 1);
      const list = await t.admin.get(`/api/v1/tenants/${t.tenant}/hw-tokens`);
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(1);
      const verifier = await t.apiKey('verifier');
      const otp = hotp(Buffer.from('12345678901234567890'), 0, { algorithm: 'SHA1', digits: 6 });
      const ok = await verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username: user.username, otp });
      expect(ok.body).toEqual({ accepted: true, tokenId: tokens[0].id, serial: tokens[0].serial });
      const again = await verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username: user.username, otp });
      expect(again.body).toEqual({ accepted: false, reason: 'rejected' });
      await addToken(t.admin, t.tenant, {});
    });
  });
}
