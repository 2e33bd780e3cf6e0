// An operator sees no action they may not use: a viewer only the history, the
// help desk everything but COMPROMISE; sections follow the privileges too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type Browser } from './support/browser.js';
import { filterBySerial, menuActions, openHwTokens, signIn } from './support/console.js';
import { lockToken, OPERATORS, PASSWORD, seededServer } from './support/seed.js';
import type { RunningServer } from './support/server.js';

describe('what each role is offered', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const seeded = await seededServer(5);
    server = seeded.server;
    await lockToken(seeded.admin, 'bob', 'HT-1002');
    browser = await openBrowser(server.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a viewer sees the tokens, and only HISTORY in every menu', async () => {
    const { page } = browser;
    await page.goto('/');
    await signIn(page, OPERATORS.viewer.username, PASSWORD);
    await openHwTokens(page);
    for (const serial of ['HT-1001', 'HT-1002', 'HT-1003', 'YK-3001']) {
      await filterBySerial(page, serial);
      expect(await menuActions(page, serial), serial).toEqual(['HISTORY']);
    }
    expect(await page.getByRole('button', { name: 'Import seed file' }).count()).toBe(0);
    const nav = page.getByRole('navigation', { name: 'Console sections' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Operational console', 'Devices', 'Users']);
    expect(await page.getByLabel('Tenant').count()).toBe(0);

    await filterBySerial(page, 'HT-1002');
    await page.getByRole('link', { name: 'HT-1002', exact: true }).click();
    await page.getByRole('heading', { name: 'HT-1002', level: 1 }).waitFor();
    for (const label of ['ASSIGN TO USER', 'UNASSIGN FROM USER', 'DISABLE TEMPORARILY', 'COMPROMISE', 'RESET TOKEN', 'UNLOCK']) {
      expect(await page.getByRole('button', { name: label }).count(), label).toBe(0);
    }
    // The audit trail's address, typed or kept, says the role does not open it instead of failing to load.
    await page.goto(page.url().replace(/\/devices\/.*$/, '/audit'));
    await page.getByText('does not include the audit trail').waitFor();
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
  });

  it('the help desk may do everything but COMPROMISE', async () => {
    const { page } = browser;
    await signIn(page, OPERATORS.helpdesk.username, PASSWORD);
    await openHwTokens(page);
    await filterBySerial(page, 'HT-1002');
    expect(await menuActions(page, 'HT-1002')).toEqual(['UNASSIGN FROM USER', 'DISABLE TEMPORARILY', 'RESET TOKEN', 'UNLOCK', 'HISTORY']);
    await filterBySerial(page, 'HT-1003');
    expect(await menuActions(page, 'HT-1003')).toEqual(['ASSIGN TO USER', 'DISABLE TEMPORARILY', 'RESET TOKEN', 'HISTORY']);
    const nav = page.getByRole('navigation', { name: 'Console sections' });
    expect(await nav.getByRole('link', { name: 'Audit' }).count()).toBe(0);
  });
});
