// The screens around the token list: token detail, users with their tokens
// (and a token from stock for them), and the audit trail with its filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, type Browser } from './support/browser.js';
import { filterBySerial, openHwTokens, signIn } from './support/console.js';
import { OPERATORS, PASSWORD, seededServer } from './support/seed.js';
import type { RunningServer } from './support/server.js';

describe('token detail, users and audit', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    ({ server } = await seededServer(50));
    browser = await openBrowser(server.baseUrl);
    await browser.page.goto('/');
    await signIn(browser.page, OPERATORS.tokenAdmin.username, PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a token with all its fields, its holder and its history', async () => {
    const { page } = browser;
    await openHwTokens(page);
    await filterBySerial(page, 'HT-1001');
    await page.getByRole('link', { name: 'HT-1001', exact: true }).click();
    await page.getByRole('heading', { name: 'HT-1001', level: 1 }).waitFor();
    const details = page.getByRole('region', { name: 'Details' });
    for (const text of ['HOTP', 'Feitian', 'OTP c100', 'SHA1', 'Supported', 'Alice Martin (alice)']) {
      await details.getByText(text, { exact: true }).first().waitFor();
    }
    const history = page.getByRole('table', { name: 'History of token HT-1001' });
    await history.waitFor();
    expect(await history.getByRole('cell', { name: 'assign', exact: true }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'COMPROMISE' }).count()).toBe(1);
    await screenshot(page, 'token-detail');
    await details.getByRole('link', { name: 'Alice Martin (alice)' }).click();
    await page.getByRole('heading', { name: 'Alice Martin', level: 1 }).waitFor();
  });

  it('searches users and assigns a token from stock to one of them', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByLabel('Name or username').fill('car');
    await page.getByRole('search', { name: 'Search users' }).getByRole('button', { name: 'SUBMIT' }).click();
    await page.waitForURL(/q=car/);
    const table = page.getByRole('table', { name: 'Users' });
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await table.getByRole('link', { name: 'carol' }).click();
    await page.getByRole('heading', { name: 'Carol Dupont', level: 1 }).waitFor();
    await page.getByText('This user holds no token.').waitFor();

    await page.getByRole('button', { name: 'Assign a token from stock' }).click();
    const dialog = page.getByRole('dialog', { name: 'Assign a token to Carol Dupont (carol)' });
    await dialog.getByLabel('Serial').fill('HT-1006');
    await dialog.getByRole('radio', { name: 'HT-1006' }).check();
    await dialog.getByRole('button', { name: 'ASSIGN TO USER' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const tokens = page.getByRole('table', { name: 'Tokens of carol' });
    await tokens.getByRole('link', { name: 'HT-1006' }).waitFor();
    await page.getByText('1 of 1', { exact: true }).waitFor();
    await screenshot(page, 'user-detail');
  });

  it('creates a user', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.getByText('A username is required, without spaces.').waitFor();
    await dialog.getByLabel('Username').fill('erin');
    await dialog.getByLabel('Display name').fill('Erin Novak');
    await dialog.getByLabel('E-mail').fill('erin@example.test');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { name: 'Erin Novak', level: 1 }).waitFor();
    await page.getByText('This user holds no token.').waitFor();
  });

  it('lists the audit trail newest first, filters it and pages through it', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Audit events, newest first' });
    await table.waitFor();
    // The last two things done, newest first: erin created, after HT-1006 assigned to carol.
    const [latest, before] = [table.getByRole('row').nth(1), table.getByRole('row').nth(2)];
    expect(await latest.getByRole('cell').nth(1).textContent()).toBe('user.create');
    expect(await before.getByRole('cell').nth(1).textContent()).toBe('assign');
    expect(await before.getByRole('cell').nth(4).textContent()).toBe('HT-1006');
    expect(await before.getByRole('cell').nth(5).textContent()).toBe('carol');
    await page.getByText(/Chain head: event \d+/).waitFor();

    await page.getByRole('navigation', { name: 'Pages of the audit trail' }).getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2', { exact: true }).waitFor();

    const form = page.getByRole('search', { name: 'Filter the audit trail' });
    await form.getByLabel('Action').fill('assign');
    await form.getByLabel('Actor').fill(OPERATORS.tokenAdmin.username);
    await form.getByRole('button', { name: 'SUBMIT' }).click();
    await page.waitForURL(/action=assign/);
    await expect.poll(async () => (await table.getByRole('row').count()) - 1).toBe(1);
    expect(await table.getByRole('row').nth(1).getByRole('cell').nth(3).textContent()).toBe(OPERATORS.tokenAdmin.username);
    await page.getByText('Page 1', { exact: true }).count();
    await screenshot(page, 'audit');

    await form.getByLabel('Actor').fill('nobody-at-all');
    await form.getByRole('button', { name: 'SUBMIT' }).click();
    await page.getByText('No event matches this filter.').waitFor();
    await form.getByRole('button', { name: 'RESET' }).click();
    await page.waitForURL((url) => url.search === '');
    await table.waitFor();
  });
});
