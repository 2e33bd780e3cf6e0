// The seed-file import dialog: file, format, key or password, and the report
// of every problem of a refused file. The answers of the import endpoint are
// given by the test (the dialog follows the contract: 201 ImportReport, or 422
// IMPORT_INVALID whose errors list each bad entry).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, type Browser } from './support/browser.js';
import { openHwTokens, signIn } from './support/console.js';
import { OPERATORS, PASSWORD, seededServer } from './support/seed.js';
import type { RunningServer } from './support/server.js';

const CSV = 'serial,secret,type,digits,counter,algorithm,vendor,model\nNEW-1,JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP,hotp,6,0,SHA1,Acme,One\n';

describe('import dialog', () => {
  let server: RunningServer;
  let browser: Browser;
  const sent: string[] = [];

  beforeAll(async () => {
    ({ server } = await seededServer(2));
    browser = await openBrowser(server.baseUrl);
    let attempt = 0;
    await browser.page.route('**/api/v1/tenants/acme/hw-tokens/import', async (route) => {
      sent.push(route.request().postData() ?? '');
      attempt += 1;
      if (attempt === 1) {
        await route.fulfill({
          status: 422,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            type: 'urn:hwtokens:problem:import-invalid', title: 'The seed file was not imported', status: 422, code: 'IMPORT_INVALID',
            detail: '2 entries are invalid; nothing was imported.',
            errors: [{ ref: 'line 2', reason: 'serial HT-1001 already exists in this tenant' }, { ref: 'line 3', reason: 'secret is not base32 or hex' }],
          }),
        });
      } else {
        await route.fulfill({
          status: 201,
          contentType: 'application/json',
          body: JSON.stringify({ batchId: 'batch-42', fileName: 'tokens.csv', format: 'csv', count: 1, assigned: 0 }),
        });
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists every problem of a refused file, then reports an import and shows its tokens', async () => {
    const { page } = browser;
    await page.goto('/');
    await signIn(page, OPERATORS.tokenAdmin.username, PASSWORD);
    await openHwTokens(page);
    await page.getByRole('button', { name: 'Import seed file' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a seed file' });
    await dialog.getByRole('button', { name: 'IMPORT' }).click();
    await dialog.getByText('Choose the seed file.').waitFor();

    await dialog.getByLabel('Format').selectOption('pskc');
    await dialog.getByLabel('Pre-shared key (hex)').fill('not hex');
    await dialog.getByText('The key must be 32, 48 or 64 hexadecimal digits.').waitFor();
    await dialog.getByLabel('Pre-shared key (hex)').fill('00112233445566778899aabbccddeeff');
    await dialog.getByLabel('Format').selectOption('csv');
    expect(await dialog.getByLabel('Pre-shared key (hex)').count()).toBe(0);

    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: /Seed file/ }).click();
    await (await chooser).setFiles({ name: 'tokens.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await dialog.getByRole('button', { name: 'IMPORT' }).click();
    const problems = dialog.getByRole('table', { name: 'Problems in the seed file' });
    await problems.waitFor();
    expect(await problems.getByRole('row').count()).toBe(3);
    await dialog.getByText('serial HT-1001 already exists in this tenant').waitFor();
    await dialog.getByText('nothing was imported', { exact: false }).first().waitFor();
    await screenshot(page, 'import-problems');
    expect(sent[0]).toContain('name="format"\r\n\r\ncsv');
    expect(sent[0]).toContain('filename="tokens.csv"');
    expect(sent[0]).not.toContain('name="key"');

    await dialog.getByRole('button', { name: 'IMPORT' }).click();
    await dialog.getByRole('status').filter({ hasText: '1 token imported from tokens.csv (csv)' }).waitFor();
    await dialog.getByRole('button', { name: 'Show the imported tokens' }).click();
    await page.waitForURL(/batch=batch-42/);
    await page.getByText('Import batch batch-42').waitFor();
  });
});

describe('import dialog against the real import endpoint', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    ({ server } = await seededServer(2));
    browser = await openBrowser(server.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const file = (lines: string[]) => ({ name: 'batch-7.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) });
  const HEADER = 'serial,type,secret,digits,counter,algorithm,vendor,model';
  const row = (serial: string) => `${serial},hotp,hex:${Buffer.alloc(20, serial.length).toString('hex')},6,0,SHA1,Feitian,OTP c200`;

  async function upload(dialog: import('playwright-core').Locator, content: ReturnType<typeof file>) {
    const chooser = browser.page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: /Seed file/ }).click();
    await (await chooser).setFiles(content);
    await dialog.getByRole('button', { name: 'IMPORT' }).click();
  }

  it('reports every bad entry of a refused file, imports nothing, then imports the corrected file', async () => {
    const { page } = browser;
    await page.goto('/');
    await signIn(page, OPERATORS.tokenAdmin.username, PASSWORD);
    await openHwTokens(page);
    await page.getByRole('button', { name: 'Import seed file' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a seed file' });

    await upload(dialog, file([HEADER, row('NEW-0001'), row('HT-1001'), 'NEW-0003,hotp,not-a-secret,6,0,SHA1,Feitian,OTP c200']));
    const problems = dialog.getByRole('table', { name: 'Problems in the seed file' });
    await problems.waitFor();
    expect(await problems.getByRole('row').count()).toBeGreaterThanOrEqual(3);
    expect(await problems.textContent()).toContain('HT-1001');
    await screenshot(page, 'import-problems-real');

    await upload(dialog, file([HEADER, row('NEW-0001'), row('NEW-0002')]));
    await dialog.getByRole('status').filter({ hasText: '2 tokens imported from batch-7.csv (csv)' }).waitFor();
    await dialog.getByRole('button', { name: 'Show the imported tokens' }).click();
    await page.waitForURL(/batch=/);
    await page.getByText('2 tokens match the filter').waitFor();
    await page.getByRole('link', { name: 'NEW-0002', exact: true }).waitFor();
  });
});
