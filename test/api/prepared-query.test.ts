// Prepared queries (the verification path): built once per dialect, run with
// each call's parameters; constants written into the query stay as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreparedQuery } from '../../src/server/storage/prepared.js';
import { DIALECTS } from '../helpers/databases.js';
import { addToken } from '../helpers/factories.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const tokensOfType = new PreparedQuery<{ tenantId: string; serial: string }, { serial: string; type: string }>((db, p) =>
  db.selectFrom('hw_tokens').select(['serial', 'type'])
    .where('tenant_id', '=', p('tenantId')).where('type', '=', 'totp').where('serial_lower', '=', p('serial')));

for (const dialect of DIALECTS) {
  describe(`prepared queries (${dialect})`, () => {
    let t: TestApp;
    let tenantId: string;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      tenantId = (await t.services.storage.db.selectFrom('tenants').select('id').where('slug', '=', t.tenant).executeTakeFirstOrThrow()).id;
    });
    afterAll(async () => { await t?.close(); });

    it('runs with each call\'s parameters and keeps the constants', async () => {
      const totp = await addToken(t.admin, t.tenant, { type: 'totp' });
      const hotp = await addToken(t.admin, t.tenant, { type: 'hotp' });
      const run = (serial: string, tenant = tenantId) =>
        tokensOfType.execute(t.services.storage.db, dialect, { tenantId: tenant, serial: serial.toLowerCase() });
      expect(await run(totp.serial)).toEqual([{ serial: totp.serial, type: 'totp' }]);
      expect(await run(hotp.serial)).toEqual([]);
      expect(await run(totp.serial, 'another-tenant')).toEqual([]);
      await t.services.storage.db.transaction().execute(async (tx) => {
        expect(await tokensOfType.first(tx, dialect, { tenantId, serial: totp.serial.toLowerCase() })).toEqual({ serial: totp.serial, type: 'totp' });
      });
    });
  });
}
