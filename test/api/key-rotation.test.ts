// Key material at rest (SPEC §8): AES-256-GCM under a master key named in each
// ciphertext; rotation re-encrypts everything while verification goes on.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotp } from '../../src/server/modules/otp/index.js';
import { reencryptAll } from '../../src/server/modules/secrets/key-rotation.js';
import { Keyring } from '../../src/server/modules/secrets/keyring.js';
import { DIALECTS } from '../helpers/databases.js';
import { RFC4226_SECRET_HEX, userWithTokens } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const SECRET = Buffer.from(RFC4226_SECRET_HEX, 'hex');

describe('keyring', () => {
  it('binds a ciphertext to its row and refuses another row or key', () => {
    const keyring = Keyring.fromKeys([crypto.randomBytes(32)]);
    const { envelope } = keyring.encrypt(SECRET, 'row-1');
    expect(envelope).not.toContain(SECRET.toString('base64'));
    expect(keyring.decrypt(envelope, 'row-1')).toEqual(SECRET);
    expect(() => keyring.decrypt(envelope, 'row-2')).toThrow();
    expect(() => Keyring.fromKeys([crypto.randomBytes(32)]).decrypt(envelope, 'row-1')).toThrow(/not configured/);
  });

  it('generates a key file with mode 0600 and adds a new current key to it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-key-'));
    const keyring = Keyring.fromEnvironment({ generateIn: dir });
    const file = path.join(dir, 'master.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const old = keyring.encrypt(SECRET, 'a');
    const fresh = keyring.addKeyToFile();
    expect(keyring.currentKeyId).toBe(fresh.id);
    expect(Keyring.fromEnvironment({ masterKeyFile: file }).decrypt(old.envelope, 'a')).toEqual(SECRET);
    fs.rmSync(dir, { recursive: true });
  });
});

for (const dialect of DIALECTS) {
  describe(`keys rotate (${dialect})`, () => {
    let t: TestApp;
    beforeAll(async () => { t = await startTestApp(dialect); });
    afterAll(async () => { await t?.close(); });

    it('re-encrypts every token under the new key; OTPs still verify', async () => {
      const { user } = await userWithTokens(t.admin, t.tenant, 2);
      const newKey = crypto.randomBytes(32);
      const rotated = Keyring.fromKeys([newKey, Buffer.from(t.masterKey, 'base64')]);
      const result = await reencryptAll(t.services.storage, rotated);
      expect(result).toEqual({ reencrypted: 2, remaining: 0 });
      const rows = await t.services.storage.db.selectFrom('hw_tokens').select('key_id').execute();
      expect(new Set(rows.map((r) => r.key_id))).toEqual(new Set([rotated.currentKeyId]));
      t.services.keyring = Keyring.fromKeys([newKey]);
      const verifier = await t.apiKey('verifier');
      const otp = hotp(SECRET, 0, { algorithm: 'SHA1', digits: 6 });
      const reply = await verifier.post(`/api/v1/tenants/${t.tenant}/verify`, { username: user.username, otp });
      expect(reply.body.accepted).toBe(true);
    });
  });
}
