// Seed-file import over HTTP (SPEC §7): every good fixture imports, and each
// imported key verifies an OTP that oathtool computes from the known secret.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../helpers/factories.js';
import { DIALECTS } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { csvFile, FIXTURES, GOOD_FIXTURES, REFUSED_FIXTURES, hasOathtool, importFixture, importSeed, newTenant, NOW, otpOf, tokenTotal, type GoodFixture } from './import-support.js';

const OATHTOOL = hasOathtool();
if (!OATHTOOL) console.warn('oathtool is not installed (apt-get install -y oathtool): the OTP checks after import are skipped');

it('has an expectation for every seed-file fixture', () => {
  const files = readdirSync(FIXTURES).filter((file) => !/\.(md|py)$/.test(file));
  const known = new Set([...GOOD_FIXTURES.map((fixture) => fixture.file), ...REFUSED_FIXTURES]);
  expect(files.filter((file) => !known.has(file))).toEqual([]);
});

for (const dialect of DIALECTS) {
  describe(`seed-file import (${dialect})`, () => {
    let t: TestApp;
    beforeAll(async () => { t = await startTestApp(dialect, { now: NOW }); });
    afterAll(async () => { await t?.close(); });

    GOOD_FIXTURES.forEach((fixture, i) => {
      it(`imports ${fixture.file} and its keys verify`, async () => {
        const tenant = await newTenant(t.admin, `fx-${i}`);
        for (const username of fixture.users ?? []) await addUser(t.admin, tenant, username);
        const reply = await importFixture(t.admin, tenant, fixture.file, fixture.fields);
        expect(reply.status, reply.text).toBe(201);
        expect(reply.body).toEqual({ batchId: expect.any(String), fileName: fixture.file, format: fixture.format, count: fixture.count, assigned: fixture.assigned ?? 0 });
        expect(await tokenTotal(t.admin, tenant)).toBe(fixture.count);
        const batch = await t.admin.get(`/api/v1/tenants/${tenant}/hw-tokens?batch=${reply.body.batchId}&limit=500`);
        expect(batch.body.items.map((token: { serial: string }) => token.serial).sort()).toEqual(fixture.known.map((k) => k.serial).sort());
        if (OATHTOOL) await verifyKnownTokens(tenant, fixture);
      });
    });

    async function verifyKnownTokens(tenant: string, fixture: GoodFixture): Promise<void> {
      await addUser(t.admin, tenant, 'holder');
      const list = await t.admin.get(`/api/v1/tenants/${tenant}/hw-tokens?limit=500`);
      for (const known of fixture.known) {
        const token = list.body.items.find((item: { serial: string }) => item.serial === known.serial);
        expect(token, known.serial).toBeDefined();
        let username = token.holder?.username as string | undefined;
        if (!username) {
          const assigned = await t.admin.post(`/api/v1/tenants/${tenant}/hw-tokens/${token.id}/assign`, { username: 'holder' });
          expect(assigned.status, assigned.text).toBe(200);
          username = 'holder';
        }
        const otp = otpOf(known, t.clock.now());
        const verified = await t.admin.post(`/api/v1/tenants/${tenant}/verify`, { username, otp, serial: known.serial });
        expect(verified.body, `${fixture.file} ${known.serial} ${otp}`).toEqual({ accepted: true, tokenId: token.id, serial: known.serial });
        if (token.holder === null) {
          const unassigned = await t.admin.post(`/api/v1/tenants/${tenant}/hw-tokens/${token.id}/unassign`);
          expect(unassigned.status).toBe(200);
        }
      }
    }

    it('reads the parameters of the file: type, digits, period, vendor, model, holder', async () => {
      const tenant = await newTenant(t.admin, 'params');
      await addUser(t.admin, tenant, 'alice');
      await addUser(t.admin, tenant, 'bob');
      const reply = await importFixture(t.admin, tenant, 'seeds.csv');
      expect(reply.status, reply.text).toBe(201);
      const list = await t.admin.get(`/api/v1/tenants/${tenant}/hw-tokens?sort=serial`);
      const bySerial = Object.fromEntries(list.body.items.map((token: { serial: string }) => [token.serial, token]));
      expect(bySerial['CSV-HOTP-1']).toMatchObject({ type: 'hotp', digits: 6, vendor: 'Feitian', model: 'c100', status: 'active', holder: { username: 'alice' }, batchId: reply.body.batchId });
      expect(bySerial['CSV-TOTP-512']).toMatchObject({ type: 'totp', digits: 8, period: 60, algorithm: 'SHA512', holder: null });
      expect(bySerial['CSV-HOTP-2']).toMatchObject({ holder: { username: 'bob' } });
      expect(JSON.stringify(list.body)).not.toMatch(/GEZDGNBV|3132333435/);
      // Each assignment the file made is in the token's history, with its user; a token not assigned has the import only.
      const history = async (serial: string) => (await t.admin.get(`/api/v1/tenants/${tenant}/hw-tokens/${bySerial[serial].id}/history`)).body.items;
      expect(await history('CSV-HOTP-1')).toMatchObject([
        { action: 'assign', outcome: 'success', serial: 'CSV-HOTP-1', username: 'alice', detail: `by the import of batch ${reply.body.batchId}` },
      ]);
      expect(await history('CSV-TOTP-512')).toEqual([]);
      const trail = (await t.admin.get(`/api/v1/tenants/${tenant}/audit?limit=10`)).body.items.map((e: { action: string; serial: string | null }) => [e.action, e.serial]);
      expect(trail.slice(0, 3)).toEqual([['assign', 'CSV-HOTP-2'], ['assign', 'CSV-HOTP-1'], ['import', null]]);
    });

    it('lists batches newest first and filters the token list by batch', async () => {
      const tenant = await newTenant(t.admin, 'batches');
      const first = await importSeed(t.admin, tenant, { name: 'first.csv', content: csvFile([{ serial: 'B1-1' }, { serial: 'B1-2' }]) });
      t.clock.advance(1000);
      const second = await importSeed(t.admin, tenant, { name: 'C:\\exports\\second.csv', content: csvFile([{ serial: 'B2-1' }]) }, { format: 'csv' });
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body.fileName).toBe('second.csv');
      const batches = await t.admin.get(`/api/v1/tenants/${tenant}/import-batches`);
      expect(batches.status).toBe(200);
      expect(batches.body.items).toEqual([
        { id: second.body.batchId, fileName: 'second.csv', format: 'csv', count: 1, createdBy: 'admin', createdAt: expect.any(String) },
        { id: first.body.batchId, fileName: 'first.csv', format: 'csv', count: 2, createdBy: 'admin', createdAt: expect.any(String) },
      ]);
      const page = await t.admin.get(`/api/v1/tenants/${tenant}/import-batches?limit=1`);
      expect(page.body.items).toHaveLength(1);
      const next = await t.admin.get(`/api/v1/tenants/${tenant}/import-batches?limit=1&cursor=${page.body.nextCursor}`);
      expect(next.body).toEqual({ items: [expect.objectContaining({ id: first.body.batchId })], nextCursor: null });
      const filtered = await t.admin.get(`/api/v1/tenants/${tenant}/hw-tokens?batch=${first.body.batchId}&sort=serial`);
      expect(filtered.body.items.map((token: { serial: string }) => token.serial)).toEqual(['B1-1', 'B1-2']);
      expect(filtered.body.total).toBe(2);
    });

    it('audits a successful import and a refused one', async () => {
      const tenant = await newTenant(t.admin, 'audited');
      const ok = await importSeed(t.admin, tenant, { name: 'good.csv', content: csvFile([{ serial: 'AU-1' }]) });
      const refused = await importSeed(t.admin, tenant, { name: 'again.csv', content: csvFile([{ serial: 'AU-1' }]) });
      expect([ok.status, refused.status]).toEqual([201, 422]);
      const audit = await t.admin.get(`/api/v1/tenants/${tenant}/audit?action=import`);
      expect(audit.status).toBe(200);
      const [last, first] = audit.body.items;
      expect(first).toMatchObject({ action: 'import', outcome: 'success', actor: 'admin' });
      expect(first.detail).toContain('good.csv');
      expect(first.detail).toContain(ok.body.batchId);
      expect(last).toMatchObject({ action: 'import', outcome: 'refused', actor: 'admin' });
      expect(last.detail).toContain('again.csv');
      expect(last.detail).toContain('IMPORT_INVALID');
    });

    it('needs hwtoken:import to import and hwtoken:read to list batches', async () => {
      const helpdesk = await t.operator('helpdesk');
      const refused = await importSeed(helpdesk, t.tenant, { name: 'x.csv', content: csvFile([{ serial: 'PRIV-1' }]) });
      expect(refused.status).toBe(403);
      expect((await helpdesk.get(`/api/v1/tenants/${t.tenant}/import-batches`)).status).toBe(200);
      const tokenAdmin = await t.operator('token-admin');
      const done = await importSeed(tokenAdmin, t.tenant, { name: 'x.csv', content: csvFile([{ serial: 'PRIV-1' }]) });
      expect(done.status, done.text).toBe(201);
      const key = await t.apiKey('token-admin');
      const byKey = await importSeed(key, t.tenant, { name: 'y.csv', content: csvFile([{ serial: 'PRIV-2' }]) });
      expect(byKey.status, byKey.text).toBe(201);
      const other = await newTenant(t.admin, 'elsewhere');
      expect((await importSeed(tokenAdmin, other, { name: 'x.csv', content: csvFile([{ serial: 'PRIV-3' }]) })).status).toBe(404);
    });

    it('documents the route as multipart/form-data in OpenAPI', async () => {
      const doc = await t.admin.get('/api/v1/openapi.json');
      const operation = doc.body.paths['/api/v1/tenants/{tenant}/hw-tokens/import'].post;
      expect(Object.keys(operation.requestBody.content)).toEqual(['multipart/form-data']);
      expect(operation.description).toContain('must come before the file part');
      expect(doc.body.paths['/api/v1/tenants/{tenant}/import-batches'].get).toBeDefined();
    });
  });
}
