// The procedures of SPEC §10, walked as a security officer would: sign in,
// Devices › HW tokens, filter and SUBMIT, open a row's menu, confirm an action
// and see the new status in the list without reloading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/api-client.js';
import { openBrowser, screenshot, type Browser } from './support/browser.js';
import {
  chooseAction, filterBySerial, holderCell, menuActions, openHwTokens, openRowMenu, signIn, statusCell, tokenRow, tokenTable,
} from './support/console.js';
import { currentStep, hotp, totpAt } from './support/otp.js';
import { lockToken, OPERATORS, PASSWORD, seedOf, seededServer, TENANT, type Fixture } from './support/seed.js';
import type { RunningServer } from './support/server.js';

describe('HW tokens: the procedures of a security officer', () => {
  let server: RunningServer;
  let admin: ApiClient;
  let fixture: Fixture;
  let browser: Browser;

  beforeAll(async () => {
    ({ server, admin, fixture } = await seededServer());
    browser = await openBrowser(server.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in, opens Devices › HW tokens and sees the token list', async () => {
    const { page } = browser;
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signIn(page, OPERATORS.officer.username, PASSWORD);
    await openHwTokens(page);
    expect(page.url()).toMatch(/\/t\/acme\/devices\/hw-tokens$/);
    const total = fixture.stockCount + 8;
    await expect.poll(() => page.getByText(`${total} tokens`, { exact: true }).count()).toBe(1);
    const headers = (await tokenTable(page).getByRole('columnheader').allTextContents()).map((h) => h.replace(/[↕▲▼]/g, '').trim());
    expect(headers).toEqual(['Serial', 'Type', 'Vendor / model', 'Status', 'Holder', 'Last used', 'Created', 'Actions']);
    await expect.poll(() => tokenTable(page).getByRole('row').count()).toBe(51);
    await expect.poll(() => holderCell(page, 'HT-1001').textContent()).toBe('Alice Martin (alice)');
    await screenshot(page, 'token-list');
  });

  it('filters with the form and SUBMIT, keeps the filter in the address bar across a reload, and RESET clears it', async () => {
    const { page } = browser;
    const form = page.getByRole('search', { name: 'Filter the HW tokens' });
    await form.getByLabel('Serial').fill('HT-100');
    await form.getByRole('checkbox', { name: 'Active' }).check();
    await form.getByLabel('Type').selectOption('hotp');
    await form.getByLabel('Vendor').fill('Feitian');
    await form.getByLabel('Assigned').selectOption('true');
    await form.getByRole('button', { name: 'SUBMIT' }).click();
    await page.waitForURL(/assigned=true/);
    const params = new URL(page.url()).searchParams;
    expect(Object.fromEntries(params)).toEqual({ serial: 'HT-100', status: 'active', type: 'hotp', vendor: 'Feitian', assigned: 'true' });
    await expect.poll(() => page.getByText('2 tokens match the filter').count()).toBe(1);
    expect(await tokenRow(page, 'HT-1001').count()).toBe(1);
    expect(await tokenRow(page, 'HT-1003').count()).toBe(0);

    await page.reload();
    await tokenRow(page, 'HT-1002').waitFor();
    expect(await form.getByLabel('Serial').inputValue()).toBe('HT-100');
    expect(await form.getByRole('checkbox', { name: 'Active' }).isChecked()).toBe(true);
    expect(await form.getByLabel('Assigned').inputValue()).toBe('true');

    await form.getByRole('button', { name: 'RESET' }).click();
    await page.waitForURL((url) => url.search === '');
    expect(await form.getByLabel('Serial').inputValue()).toBe('');
    await expect.poll(() => tokenTable(page).getByRole('row').count()).toBe(51);
  });

  it('finds tokens by free text in the serial, holder or description, and RESET clears it', async () => {
    const { page } = browser;
    const form = page.getByRole('search', { name: 'Filter the HW tokens' });
    await form.getByLabel('Search', { exact: true }).fill('BOB');
    await form.getByRole('button', { name: 'SUBMIT' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'BOB');
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ q: 'BOB' });
    await expect.poll(() => page.getByText('3 tokens match the filter').count()).toBe(1);
    await expect.poll(() => tokenTable(page).getAttribute('aria-busy')).toBe('false');
    // bob holds two; the third names him in its description. Header row + 3.
    expect(await tokenTable(page).getByRole('row').count()).toBe(4);
    for (const serial of ['HT-1002', 'TT-2001', 'YK-3001']) expect(await tokenRow(page, serial).count(), serial).toBe(1);
    await screenshot(page, 'filter-free-text');

    await page.reload();
    await tokenRow(page, 'YK-3001').waitFor();
    expect(await form.getByLabel('Search', { exact: true }).inputValue()).toBe('BOB');

    await form.getByRole('button', { name: 'RESET' }).click();
    await page.waitForURL((url) => url.search === '');
    expect(await form.getByLabel('Search', { exact: true }).inputValue()).toBe('');
    await expect.poll(() => tokenTable(page).getByRole('row').count()).toBe(51);
  });

  it('offers in the row menu exactly the actions the role and the token allow', async () => {
    const { page } = browser;
    await filterBySerial(page, 'HT-1003');
    expect(await menuActions(page, 'HT-1003')).toEqual(['ASSIGN TO USER', 'DISABLE TEMPORARILY', 'COMPROMISE', 'RESET TOKEN', 'HISTORY']);
    await filterBySerial(page, 'HT-1002');
    expect(await menuActions(page, 'HT-1002')).toEqual(['UNASSIGN FROM USER', 'DISABLE TEMPORARILY', 'COMPROMISE', 'RESET TOKEN', 'HISTORY']);
    await filterBySerial(page, 'YK-3001');
    // A Yubico OTP token cannot be reset (its type says so).
    expect(await menuActions(page, 'YK-3001')).toEqual(['ASSIGN TO USER', 'DISABLE TEMPORARILY', 'COMPROMISE', 'HISTORY']);

    await filterBySerial(page, 'HT-1003');
    await openRowMenu(page, 'HT-1003');
    await screenshot(page, 'context-menu');
    await page.keyboard.press('Escape');
  });

  it('ASSIGN TO USER: finds the user by name and shows the new holder', async () => {
    const { page } = browser;
    const dialog = await chooseAction(page, 'HT-1003', 'ASSIGN TO USER');
    expect(await page.getByRole('dialog', { name: 'Assign token HT-1003 to a user' }).count()).toBe(1);
    await dialog.getByLabel('Find a user').fill('Carol');
    await dialog.getByRole('radio', { name: /Carol Dupont \(carol\)/ }).check();
    await dialog.getByRole('button', { name: 'ASSIGN TO USER' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => holderCell(page, 'HT-1003').textContent()).toBe('Carol Dupont (carol)');
    await page.getByRole('status').filter({ hasText: 'Token HT-1003 is now assigned to Carol Dupont (carol).' }).waitFor();
  });

  it('DISABLE TEMPORARILY and ENABLE, each after a confirmation', async () => {
    const { page } = browser;
    await filterBySerial(page, 'HT-1002');
    let dialog = await chooseAction(page, 'HT-1002', 'DISABLE TEMPORARILY');
    await dialog.getByText('It will not accept one-time passwords until it is enabled again').waitFor();
    // A double click sends the action once (a second would be refused, and shown as such).
    const sent: string[] = [];
    const countDisables = (request: { method(): string; url(): string }) => {
      if (request.method() === 'POST' && request.url().endsWith('/disable')) sent.push(request.url());
    };
    page.on('request', countDisables);
    await dialog.getByRole('button', { name: 'DISABLE TEMPORARILY' }).dblclick();
    await dialog.waitFor({ state: 'hidden' });
    page.off('request', countDisables);
    expect(sent).toHaveLength(1);
    await expect.poll(() => statusCell(page, 'HT-1002').textContent()).toBe('disabled');
    expect(await menuActions(page, 'HT-1002')).toContain('ENABLE');

    dialog = await chooseAction(page, 'HT-1002', 'ENABLE');
    await dialog.getByRole('button', { name: 'ENABLE' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => statusCell(page, 'HT-1002').textContent()).toBe('active');
  });

  it("refuses to disable a user's last active token, in words an operator understands", async () => {
    const { page } = browser;
    await filterBySerial(page, 'HT-1001');
    const dialog = await chooseAction(page, 'HT-1001', 'DISABLE TEMPORARILY');
    await dialog.getByRole('button', { name: 'DISABLE TEMPORARILY' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain("This is the user's last active token, and a user must always keep one active token.");
    await screenshot(page, 'last-active-token-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await statusCell(page, 'HT-1001').textContent()).toBe('active');
  });

  it('UNASSIGN FROM USER after a confirmation that warns when it leaves the user without an active token', async () => {
    const { page } = browser;
    await filterBySerial(page, 'HT-1003');
    const dialog = await chooseAction(page, 'HT-1003', 'UNASSIGN FROM USER');
    await dialog.getByText('This is the only active token of Carol Dupont (carol).', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'UNASSIGN FROM USER' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => holderCell(page, 'HT-1003').textContent()).toBe('in stock');
    expect(await statusCell(page, 'HT-1003').textContent()).toBe('active');
  });

  it('COMPROMISE asks for the reason, says it is permanent, and leaves only the history', async () => {
    const { page } = browser;
    await filterBySerial(page, 'HT-1004');
    const dialog = await chooseAction(page, 'HT-1004', 'COMPROMISE');
    await dialog.getByText('This is permanent').waitFor();
    await dialog.getByText('There is no way back.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'COMPROMISE' }).click();
    await dialog.getByText('Enter the reason.').waitFor();
    await dialog.getByLabel('Reason').fill('Reported stolen with the laptop bag on the train');
    await screenshot(page, 'compromise-dialog');
    await dialog.getByRole('button', { name: 'COMPROMISE' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => statusCell(page, 'HT-1004').textContent()).toBe('compromised');
    expect(await menuActions(page, 'HT-1004')).toEqual(['HISTORY']);
    const token = await admin.token(TENANT, fixture.tokens['HT-1004']!.id);
    expect(token.compromiseReason).toBe('Reported stolen with the laptop bag on the train');
  });

  it("RESET TOKEN: two consecutive OTPs from the token's seed resynchronise it; the wrong order is explained", async () => {
    const { page } = browser;
    const seed = seedOf('HT-1005');
    await filterBySerial(page, 'HT-1005');
    const dialog = await chooseAction(page, 'HT-1005', 'RESET TOKEN');
    await dialog.getByText('Enter two consecutive one-time passwords in the order they were generated', { exact: false }).waitFor();

    // A code of the wrong length is caught in the form: the token shows 6 digits.
    await dialog.getByLabel('OTP 1').fill(`${hotp(seed, 40)}7`);
    await dialog.getByLabel('OTP 2').fill(hotp(seed, 41));
    await dialog.getByRole('button', { name: 'RESET' }).click();
    await dialog.getByText('Enter the first one-time password: 6 digits.').waitFor();

    await dialog.getByLabel('OTP 1').fill(hotp(seed, 41));
    await dialog.getByLabel('OTP 2').fill(hotp(seed, 40));
    await dialog.getByRole('button', { name: 'RESET' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('in the wrong order');

    await dialog.getByLabel('OTP 1').fill(hotp(seed, 40));
    await dialog.getByLabel('OTP 2').fill(hotp(seed, 41));
    expect(await dialog.getByRole('alert').count()).toBe(0);
    await screenshot(page, 'reset-form');
    await dialog.getByRole('button', { name: 'RESET' }).click();
    await dialog.getByRole('status').filter({ hasText: 'The token is reset' }).waitFor();
    await screenshot(page, 'reset-success');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'hidden' });

    // The token's next OTP (counter 42) lies far beyond the look-ahead from 0:
    // it proves possession only because the reset moved the counter.
    const assigned = await admin.act(TENANT, fixture.tokens['HT-1005']!.id, 'assign', { userId: fixture.users.dave.id, otp: hotp(seed, 42) });
    expect(assigned.holder?.username).toBe('dave');
  });

  it('RESET TOKEN for a TOTP token, with the two codes of a drifted clock', async () => {
    const { page } = browser;
    const seed = seedOf('TT-2001');
    const step = currentStep(30, server.now()) + 20; // the token's clock runs ten minutes fast
    await filterBySerial(page, 'TT-2001');
    const dialog = await chooseAction(page, 'TT-2001', 'RESET TOKEN');
    await dialog.getByLabel('OTP 1').fill(totpAt(seed, step));
    await dialog.getByLabel('OTP 2').fill(totpAt(seed, step + 1));
    await dialog.getByRole('button', { name: 'RESET' }).click();
    await dialog.getByRole('status').filter({ hasText: 'The token is reset' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    const verified = await admin.request<{ accepted: boolean }>('POST', `/tenants/${TENANT}/verify`, {
      username: 'bob', serial: 'TT-2001', otp: totpAt(seed, step + 2),
    });
    expect(verified.accepted).toBe(true);
  });

  it('shows a locked token as locked and UNLOCKs it', async () => {
    const { page } = browser;
    await lockToken(admin, 'bob', 'HT-1002');
    await filterBySerial(page, 'HT-1002');
    await expect.poll(() => statusCell(page, 'HT-1002').textContent()).toBe('activelocked');
    expect(await menuActions(page, 'HT-1002')).toContain('UNLOCK');
    const dialog = await chooseAction(page, 'HT-1002', 'UNLOCK');
    await dialog.getByRole('button', { name: 'UNLOCK' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => statusCell(page, 'HT-1002').textContent()).toBe('active');
    expect(await menuActions(page, 'HT-1002')).not.toContain('UNLOCK');
  });

  it("HISTORY lists the token's audit events, newest first", async () => {
    const { page } = browser;
    const dialog = await chooseAction(page, 'HT-1002', 'HISTORY');
    const table = dialog.getByRole('table', { name: 'History of token HT-1002' });
    await table.waitFor();
    const actions = await table.getByRole('row').locator('td:nth-child(2)').allTextContents();
    expect(actions.filter((action) => ['unlock', 'enable', 'disable', 'assign'].includes(action))).toEqual(['unlock', 'enable', 'disable', 'assign']);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('sorts by a column and pages through the list with the cursor', async () => {
    const { page } = browser;
    const form = page.getByRole('search', { name: 'Filter the HW tokens' });
    await form.getByRole('button', { name: 'RESET' }).click();
    await page.waitForURL((url) => url.search === '');
    await expect.poll(() => form.getByLabel('Serial').inputValue()).toBe('');
    await tokenTable(page).getByRole('button', { name: /^Serial/ }).click();
    await page.waitForURL(/sort=serial/);
    await expect.poll(() => tokenTable(page).getByRole('row').nth(1).getByRole('link').first().textContent()).toBe('HT-1001');
    expect(await tokenTable(page).getByRole('columnheader', { name: /Serial/ }).getAttribute('aria-sort')).toBe('ascending');

    await page.getByRole('navigation', { name: 'Pages of HW tokens' }).getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2', { exact: true }).waitFor();
    await expect.poll(() => tokenTable(page).getByRole('row').nth(1).getByRole('link').first().textContent()).toBe('ST-0045');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => tokenTable(page).getByRole('row').nth(1).getByRole('link').first().textContent()).toBe('HT-1001');

    await tokenTable(page).getByRole('button', { name: /^Serial/ }).click();
    await page.waitForURL(/sort=-serial/);
    await expect.poll(() => tokenTable(page).getByRole('row').nth(1).getByRole('link').first().textContent()).toBe('YK-3001');
  });

  it('exports the filtered list as CSV', async () => {
    const { page } = browser;
    await filterBySerial(page, 'HT-100', 'HT-1001');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const file = await download.path();
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile(file, 'utf8');
    expect(csv).toContain('HT-1001');
    expect(csv).toContain('HT-1006');
    expect(csv).not.toContain('ST-0001');
    expect(csv).not.toMatch(/secret/i);
  });

  it('closes the menu with Escape also while the focus is on its button', async () => {
    const { page } = browser;
    await filterBySerial(page, 'HT-1006');
    const menu = await openRowMenu(page, 'HT-1006');
    // The menu takes the focus on a timer; an Escape may come before: hold the focus on the button.
    await expect.poll(() => menu.locator(':focus').count()).toBe(1);
    await page.getByRole('button', { name: 'Actions for token HT-1006' }).focus();
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
  });

  it('works from the keyboard: the menu opens with Enter, the dialog keeps focus and Escape closes it', async () => {
    const { page } = browser;
    await filterBySerial(page, 'HT-1006');
    const trigger = page.getByRole('button', { name: 'Actions for token HT-1006' });
    await trigger.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await menu.waitFor();
    // The menu takes the focus a moment after it appears (on a timer), as an operator would see before pressing a key.
    await expect.poll(() => menu.locator(':focus').count()).toBe(1);
    // Arrow keys walk the items; where the walk starts (the dropdown or its
    // first item) depends on Mantine's focus timer, so walk until the item.
    const focusedItem = () => page.locator('[role="menuitem"]:focus').textContent({ timeout: 1000 }).catch(() => null);
    for (let i = 0; i < 8 && (await focusedItem()) !== 'DISABLE TEMPORARILY'; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(focusedItem).toBe('DISABLE TEMPORARILY');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Disable token HT-1006 temporarily' });
    await dialog.waitFor();
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect(await dialog.locator(':focus').count(), `focus stays in the dialog after ${i + 1} Tab`).toBe(1);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await statusCell(page, 'HT-1006').textContent()).toBe('active');
    await expect.poll(() => page.locator('[aria-label="Actions for token HT-1006"]:focus').count()).toBe(1);
    expect(browser.consoleErrors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
  });
});
