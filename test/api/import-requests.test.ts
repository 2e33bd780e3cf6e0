// The import request itself: size limit (413), content type (415), the form's
// fields and their order, and files larger than one INSERT or look-up chunk.
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { runningImports } from '../../src/server/modules/import/import-routes.js';
import { DIALECTS } from '../helpers/databases.js';
import { HttpClient } from '../helpers/http-client.js';
import { ADMIN, startTestApp, type TestApp } from '../helpers/test-app.js';
import { csvFile, fixtureBytes, importSeed, importUrl, K128, multipart, NOW, PASSWORD, tokenTotal } from './import-support.js';

const LIMIT = 4096;

for (const dialect of DIALECTS) {
  describe(`seed-file import requests (${dialect})`, () => {
    let t: TestApp;
    let small: FastifyInstance;
    let smallClient: HttpClient;

    beforeAll(async () => {
      t = await startTestApp(dialect, { now: NOW });
      small = await buildApp({ services: t.services, importLimit: LIMIT });
      smallClient = new HttpClient(small);
      await smallClient.login(ADMIN.username, ADMIN.password);
    });
    afterAll(async () => {
      await small?.close();
      await t?.close();
    });

    const send = (parts: Parameters<typeof multipart>[0], client = t.admin) => {
      const form = multipart(parts);
      return client.request('POST', importUrl(t.tenant), form.payload, { 'content-type': form.contentType });
    };
    const csv = (serials: string[]) => ({ name: 'file', fileName: 'x.csv', value: csvFile(serials.map((serial) => ({ serial }))) });

    it('answers 413 for a file over the import limit, and imports nothing', async () => {
      const before = await tokenTotal(t.admin, t.tenant);
      const rows = Array.from({ length: 100 }, (_, i) => `BIG-${i}`);
      const content = csvFile(rows.map((serial) => ({ serial })));
      expect(content.length).toBeGreaterThan(LIMIT);
      const reply = await importSeed(smallClient, t.tenant, { name: 'big.csv', content });
      expect(reply.status, reply.text).toBe(413);
      expect(reply.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await tokenTotal(t.admin, t.tenant)).toBe(before);
      const audit = await t.admin.get(`/api/v1/tenants/${t.tenant}/audit?action=import&outcome=refused`);
      expect(audit.body.items[0].detail).toContain('PAYLOAD_TOO_LARGE');
      const underLimit = await importSeed(smallClient, t.tenant, { name: 'ok.csv', content: csvFile(rows.slice(0, 20).map((serial) => ({ serial }))) });
      expect(underLimit.status, underLimit.text).toBe(201);
    });

    it('answers 413 at once when the body is longer than the limit and any form around it', async () => {
      const content = csvFile(Array.from({ length: 2000 }, (_, i) => ({ serial: `HUGE-${i}` })));
      expect(content.length).toBeGreaterThan(LIMIT + 64 * 1024);
      const reply = await importSeed(smallClient, t.tenant, { name: 'huge.csv', content });
      expect(reply.status, reply.text).toBe(413);
      const audit = await t.admin.get(`/api/v1/tenants/${t.tenant}/audit?action=import&outcome=refused`);
      expect(audit.body.items[0].detail).toMatch(/\(not read\).*PAYLOAD_TOO_LARGE/);
    });

    it('answers 413 for an over-size PSKC file cut inside an element', async () => {
      const xml = fixtureBytes('pskc-plain.pskcxml').toString();
      const padded = xml.replace('<pskc:KeyPackage>', `<!-- ${'x'.repeat(LIMIT)} --><pskc:KeyPackage>`);
      const reply = await importSeed(smallClient, t.tenant, { name: 'big.pskcxml', content: padded });
      expect(reply.status, reply.text).toBe(413);
    });

    it('answers 415 to anything but multipart/form-data', async () => {
      const json = await t.admin.post(importUrl(t.tenant), { file: 'serial,secret' });
      expect(json.status).toBe(415);
      expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const text = await t.admin.request('POST', importUrl(t.tenant), 'serial,secret\n', { 'content-type': 'text/plain' });
      expect(text.status).toBe(415);
      const binary = await t.admin.request('POST', importUrl(t.tenant), Buffer.from('x'), { 'content-type': 'application/octet-stream' });
      expect(binary.status).toBe(415);
    });

    it('answers 400 to a body that is no well-formed multipart form', async () => {
      const bodies: [string, string][] = [
        ['multipart/form-data; boundary=xx', 'garbage'],
        ['multipart/form-data', '--xx\r\ncontent-disposition: form-data; name="file"; filename="a.csv"\r\n\r\nserial\r\n--xx--\r\n'],
        ['multipart/form-data; boundary=xx', '--xx\r\ncontent-disposition: form-data; name="file"; filename="a.csv"\r\n\r\nserial,secret\r\nCUT-1,'],
      ];
      for (const [type, body] of bodies) {
        const reply = await t.admin.request('POST', importUrl(t.tenant), body, { 'content-type': type });
        expect([reply.status, reply.body.code], `${type}: ${body}`).toEqual([400, 'VALIDATION_FAILED']);
      }
      expect((await t.admin.get(`/api/v1/tenants/${t.tenant}/hw-tokens?serial=CUT-`)).body.total).toBe(0);
    });

    it('takes the fields before the file and refuses them after it', async () => {
      const ok = await send([{ name: 'format', value: 'csv' }, csv(['ORDER-1'])]);
      expect(ok.status, ok.text).toBe(201);
      const after = await send([csv(['ORDER-2']), { name: 'format', value: 'csv' }]);
      expect(after.status).toBe(400);
      expect(after.body.detail).toMatch(/comes after the file/);
      expect((await t.admin.get(`/api/v1/tenants/${t.tenant}/hw-tokens?serial=ORDER-2`)).body.total).toBe(0);
    });

    it('refuses a bad form: unknown field, bad format, bad key, key and password, no file, two files, a file without a name', async () => {
      const cases: [Parameters<typeof multipart>[0], number, RegExp][] = [
        [[{ name: 'colour', value: 'red' }, csv(['F-1'])], 400, /Unknown form field "colour"/],
        [[{ name: 'format', value: 'xlsx' }, csv(['F-1'])], 400, /format must be one of pskc, csv, yubico-csv, otpauth/],
        [[{ name: 'key', value: 'not hex' }, csv(['F-1'])], 400, /32, 48 or 64 hexadecimal digits/],
        [[{ name: 'key', value: K128 }, { name: 'password', value: PASSWORD }, csv(['F-1'])], 400, /not both/],
        [[{ name: 'format', value: 'csv' }, { name: 'format', value: 'csv' }, csv(['F-1'])], 400, /given twice/],
        [[{ name: 'format', value: 'csv' }], 400, /no file part/],
        [[{ name: 'upload', fileName: 'x.csv', value: 'a' }], 400, /named "file"/],
        [[csv(['F-1']), csv(['F-2'])], 400, /one file part/],
        [[{ name: 'file', value: 'serial,secret,type' }], 400, /has no filename/],
      ];
      for (const [parts, status, detail] of cases) {
        const reply = await send(parts);
        expect(reply.status, reply.text).toBe(status);
        expect(reply.body.detail).toMatch(detail);
      }
      expect((await t.admin.get(`/api/v1/tenants/${t.tenant}/hw-tokens?serial=F-`)).body.total).toBe(0);
    });

    it('runs two imports at once and asks a third to come back later (429)', async () => {
      const slow = [0, 1].map((i) => {
        const form = multipart([csv([`SLOW-${i}`])]);
        const stream = new PassThrough();
        const cut = form.payload.length - 30;
        stream.write(form.payload.subarray(0, cut));
        const reply = t.admin.request('POST', importUrl(t.tenant), stream, { 'content-type': form.contentType });
        return { stream, rest: form.payload.subarray(cut), reply };
      });
      for (let i = 0; i < 200 && runningImports() < 2; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(runningImports()).toBe(2);
      const third = await send([csv(['SLOW-2'])]);
      expect(third.status, third.text).toBe(429);
      expect(third.body.code).toBe('RATE_LIMITED');
      for (const { stream, rest } of slow) stream.end(rest);
      expect((await Promise.all(slow.map((s) => s.reply))).map((r) => r.status)).toEqual([201, 201]);
      expect(runningImports()).toBe(0);
      expect((await send([csv(['SLOW-2'])])).status).toBe(201);
    });

    it('imports a file larger than one INSERT and one look-up chunk, and finds a duplicate deep in the next one', async () => {
      const serials = Array.from({ length: 1234 }, (_, i) => `CHUNK-${String(i).padStart(5, '0')}`);
      const before = await tokenTotal(t.admin, t.tenant);
      const reply = await send([csv(serials)]);
      expect(reply.status, reply.text).toBe(201);
      expect(reply.body.count).toBe(1234);
      expect(await tokenTotal(t.admin, t.tenant)).toBe(before + 1234);
      const again = Array.from({ length: 1100 }, (_, i) => `NEXT-${i}`);
      again.push('chunk-01233');
      const refused = await send([csv(again)]);
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toEqual([{ ref: 'line 1102', reason: 'serial "chunk-01233" already exists in this tenant' }]);
      // The first chunks of the refused file were stored (PostgreSQL) before the problem showed: all rolled back.
      expect(await tokenTotal(t.admin, t.tenant)).toBe(before + 1234);
      expect((await t.admin.get(`/api/v1/tenants/${t.tenant}/hw-tokens?serial=NEXT-`)).body.total).toBe(0);
    });
  });
}
