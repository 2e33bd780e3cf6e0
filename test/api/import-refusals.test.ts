// A bad seed file is refused whole (SPEC §7): 422 IMPORT_INVALID with the
// problem, and the tenant's token count does not change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken, addUser } from '../helpers/factories.js';
import { DIALECTS } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import type { Reply } from '../helpers/http-client.js';
import { csvFile, fixtureBytes, importFixture, importSeed, K128, NOW, PASSWORD, tokenTotal } from './import-support.js';

/** A refusal: 422, nothing stored, and `reason` (and `ref`) among the problems. */
function expectRefused(reply: Reply, reason: RegExp, ref?: string): void {
  expect(reply.status, reply.text).toBe(422);
  expect(reply.body.code).toBe('IMPORT_INVALID');
  expect(reply.body.detail).toMatch(/nothing was imported/i);
  const problems: { ref: string; reason: string }[] = reply.body.errors;
  expect(problems.some((p) => reason.test(p.reason) && (ref === undefined || p.ref === ref)), JSON.stringify(problems)).toBe(true);
}

for (const dialect of DIALECTS) {
  describe(`seed-file import refusals (${dialect})`, () => {
    let t: TestApp;
    let before: number;
    const total = () => tokenTotal(t.admin, t.tenant);

    beforeAll(async () => {
      t = await startTestApp(dialect, { now: NOW });
      await addToken(t.admin, t.tenant, { serial: 'EXISTING-1' });
      expect((await importFixture(t.admin, t.tenant, 'yubico-simple.csv')).status).toBe(201);
      before = await total();
    });
    afterAll(async () => {
      expect(await total()).toBe(before);
      await t?.close();
    });

    const refusals: [string, () => Promise<Reply>, RegExp, string?][] = [
      ['a wrong pre-shared key', () => importFixture(t.admin, t.tenant, 'pskc-aes128.pskcxml', { key: 'ffeeddccbbaa99887766554433221100' }), /MAC did not match: the pre-shared key or password is wrong/],
      ['a key of the wrong length', () => importFixture(t.admin, t.tenant, 'pskc-aes128.pskcxml', { key: `${K128}${K128}` }), /key is 32 bytes but .* needs 16/],
      ['no key for an encrypted file', () => importFixture(t.admin, t.tenant, 'pskc-aes128.pskcxml'), /encrypted.*give/],
      ['a wrong password', () => importFixture(t.admin, t.tenant, 'pskc-pbkdf2.pskcxml', { password: 'not the password' }), /MAC did not match: the pre-shared key or password is wrong/],
      ['an altered value (MAC mismatch)', () => importSeed(t.admin, t.tenant, { name: 'altered.pskcxml', content: fixtureBytes('pskc-aes128.pskcxml').toString().replace('86NC09jUqk', '96NC09jUqk') }, { key: K128 }), /MAC did not match/],
      ['a truncated XML file', () => importFixture(t.admin, t.tenant, 'truncated.pskcxml'), /not well-formed XML/],
      ['a file that is not XML (format given)', () => importFixture(t.admin, t.tenant, 'not-xml.pskcxml', { format: 'pskc' }), /not an XML document/],
      ['a file of no known format', () => importFixture(t.admin, t.tenant, 'not-xml.pskcxml'), /could not be told|unknown column/],
      ['an external entity (XXE)', () => importFixture(t.admin, t.tenant, 'hostile-xxe.pskcxml'), /DOCTYPE \(DTD\) is not accepted/],
      ['a billion laughs', () => importFixture(t.admin, t.tenant, 'hostile-billion-laughs.pskcxml'), /DOCTYPE \(DTD\) is not accepted/],
      ['an entity without a DTD', () => importFixture(t.admin, t.tenant, 'hostile-entity-without-dtd.pskcxml'), /undefined entity/],
      ['an unknown algorithm (PSKC)', () => importFixture(t.admin, t.tenant, 'rfc6030-figure5.pskcxml'), /unsupported algorithm .*pin/, 'key 123456781'],
      ['an unknown algorithm (CSV)', () => importFixture(t.admin, t.tenant, 'seeds-bad.csv'), /unsupported algorithm "MD5"/, 'line 5'],
      ['a non-base32 secret (CSV)', () => importFixture(t.admin, t.tenant, 'seeds-bad.csv'), /invalid base32/, 'line 3'],
      ['a non-base32 secret (otpauth)', () => importFixture(t.admin, t.tenant, 'otpauth-bad.txt'), /invalid base32/, 'line 2'],
      ['a secret too short (RFC 6030 figure 2)', () => importFixture(t.admin, t.tenant, 'rfc6030-figure2.pskcxml'), /secret must be 16-128 bytes/],
      ['an unknown CSV column', () => importFixture(t.admin, t.tenant, 'csv2pskc-input.csv', { format: 'csv' }), /unknown column/],
      ['a mode that is not Yubico OTP nor OATH-HOTP', () => importFixture(t.admin, t.tenant, 'yubico-traditional-mixed.csv'), /Static Password/],
      ['a duplicate serial in the file', () => importFixture(t.admin, t.tenant, 'seeds-bad.csv'), /duplicate serial "BAD-1" \(first at line 2\)/, 'line 6'],
      ['a duplicate serial differing in case', () => importSeed(t.admin, t.tenant, { name: 'case.csv', content: csvFile([{ serial: 'CASE-1' }, { serial: 'case-1' }]) }), /duplicate serial "case-1" \(first at line 2\)/, 'line 3'],
      ['a serial already in the tenant', () => importSeed(t.admin, t.tenant, { name: 'dup.csv', content: csvFile([{ serial: 'NEW-1' }, { serial: 'existing-1' }]) }), /serial "existing-1" already exists in this tenant/, 'line 3'],
      ['a Yubico public id already in the tenant', () => importFixture(t.admin, t.tenant, 'yubico-format.csv'), /public id "cccjgjgkhcbb" already belongs to a token/],
      ['an unknown username', () => importSeed(t.admin, t.tenant, { name: 'users.csv', content: csvFile([{ serial: 'U-1', username: 'nobody' }]) }), /no user "nobody" in this tenant/, 'line 2'],
      ['a control character in a label', () => importSeed(t.admin, t.tenant, { name: 'nul.csv', content: csvFile([{ serial: 'NUL-1' }]).replace('Acme', 'Ac\u0000me') }), /vendor holds a control character/, 'line 2'],
      ['an empty file', () => importSeed(t.admin, t.tenant, { name: 'empty.csv', content: 'serial,secret,type\n' }), /holds no token entries/],
    ];
    for (const [what, send, reason, ref] of refusals) {
      it(`refuses ${what}`, async () => {
        expectRefused(await send(), reason, ref);
        expect(await total()).toBe(before);
      });
    }

    it('reports every problem of a file, in file order, and never echoes a secret', async () => {
      const reply = await importFixture(t.admin, t.tenant, 'seeds-bad.csv');
      expectRefused(reply, /duplicate serial/);
      expect(reply.body.detail).toBe('6 problems; nothing was imported.');
      expect(reply.body.errors.map((p: { ref: string }) => p.ref)).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8']);
      expect(reply.text).not.toContain('3132333435363738393031323334353637383930');
    });

    it('combines problems found in the file with those found in the tenant', async () => {
      const content = csvFile([{ serial: 'MIX-1', secret: 'not*base32' }, { serial: 'EXISTING-1' }, { serial: 'MIX-3', username: 'ghost' }]);
      const reply = await importSeed(t.admin, t.tenant, { name: 'mixed.csv', content });
      expect(reply.status).toBe(422);
      expect(reply.body.errors.map((p: { ref: string }) => p.ref)).toEqual(['line 2', 'line 3', 'line 4']);
    });

    it('lists the first 1,000 problems and counts the rest', async () => {
      const rows = Array.from({ length: 1200 }, (_, i) => ({ serial: `CAP-${i}`, secret: 'SHORT' }));
      const reply = await importSeed(t.admin, t.tenant, { name: 'many.csv', content: csvFile(rows) });
      expect(reply.status).toBe(422);
      expect(reply.body.detail).toBe('1200 problems; nothing was imported.');
      expect(reply.body.errors).toHaveLength(1001);
      expect(reply.body.errors[999].ref).toBe('line 1001');
      expect(reply.body.errors[1000]).toEqual({ ref: '…', reason: '… and 200 more' });
    });

    it('refuses to assign from a file when the tenant requires proof of possession', async () => {
      await addUser(t.admin, t.tenant, 'dana');
      const patched = await t.admin.patch(`/api/v1/tenants/${t.tenant}/settings`, { requireProofOnAssign: true });
      expect(patched.status, patched.text).toBe(200);
      try {
        const reply = await importSeed(t.admin, t.tenant, { name: 'dana.csv', content: csvFile([{ serial: 'PROOF-1', username: 'dana' }]) });
        expectRefused(reply, /requires an OTP from a token to assign it/, 'file');
      } finally {
        await t.admin.patch(`/api/v1/tenants/${t.tenant}/settings`, { requireProofOnAssign: false });
      }
    });

    it('assigns from a file to an existing user (any case of the username)', async () => {
      await addUser(t.admin, t.tenant, 'Erin');
      const reply = await importSeed(t.admin, t.tenant, { name: 'erin.csv', content: csvFile([{ serial: 'ERIN-1', username: 'erin' }]) });
      expect(reply.status, reply.text).toBe(201);
      expect(reply.body.assigned).toBe(1);
      const token = (await t.admin.get(`/api/v1/tenants/${t.tenant}/hw-tokens?serial=ERIN-1`)).body.items[0];
      expect(token.holder).toMatchObject({ username: 'Erin' });
      before += 1;
    });

    it('accepts a password with PBKDF2 and wrong passwords say so in the audit trail', async () => {
      const ok = await importFixture(t.admin, t.tenant, 'pskc-pbkdf2.pskcxml', { password: PASSWORD });
      expect(ok.status, ok.text).toBe(201);
      before += 4;
      const audit = await t.admin.get(`/api/v1/tenants/${t.tenant}/audit?action=import&outcome=refused&limit=500`);
      expect(audit.body.items.some((e: { detail: string }) => /pskc-pbkdf2\.pskcxml.*MAC did not match/.test(e.detail))).toBe(true);
    });
  });
}
