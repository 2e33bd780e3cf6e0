// Signing in and out, a session that ends while the operator works (back to
// sign-in with a message, then back to the same page), and the tenant switcher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/index.js';
import { openBrowser, type Browser } from './support/browser.js';
import { chooseAction, filterBySerial, signIn, statusCell, tokenRow } from './support/console.js';
import { SESSION_IDLE_MS } from '../../src/server/modules/auth/session-store.js';
import { OPERATORS, PASSWORD, seededServer } from './support/seed.js';
import type { RunningServer } from './support/server.js';

describe('console session', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    ({ server } = await seededServer(5));
    browser = await openBrowser(server.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Ends the browser's session on the server, as a revocation would (sign-out elsewhere). */
  async function revokeSession(): Promise<void> {
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'hwt_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    const headers = { cookie: `hwt_session=${cookie!.value}`, 'content-type': 'application/json' };
    const me = (await (await fetch(`${server.baseUrl}/api/v1/auth/me`, { headers })).json()) as Me;
    const response = await fetch(`${server.baseUrl}/api/v1/auth/logout`, {
      method: 'POST', headers: { ...headers, 'x-csrf-token': me.csrfToken }, body: '{}',
    });
    expect(response.status).toBe(204);
  }

  async function expectBackAfterSignIn(where: URL): Promise<void> {
    const { page } = browser;
    await page.waitForURL(/\/sign-in\?/);
    await page.getByRole('status').filter({ hasText: 'Your session has expired. Sign in again to continue where you left off.' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe(`${where.pathname}${where.search}`);
    await signIn(page, OPERATORS.officer.username, PASSWORD);
    await page.waitForURL((url) => url.pathname === where.pathname && url.search === where.search);
  }

  it('asks for sign-in on a deep link and then opens the page asked for, filter included', async () => {
    const { page } = browser;
    await page.goto('/t/acme/devices/hw-tokens?status=active&type=hotp');
    await page.waitForURL(/\/sign-in\?next=/);
    await signIn(page, OPERATORS.officer.username, 'not the password');
    await page.getByRole('alert').filter({ hasText: 'The username or password is not correct.' }).waitFor();
    await signIn(page, OPERATORS.officer.username, PASSWORD);
    await page.waitForURL(/\/t\/acme\/devices\/hw-tokens\?status=active&type=hotp$/);
    const form = page.getByRole('search', { name: 'Filter the HW tokens' });
    expect(await form.getByRole('checkbox', { name: 'Active' }).isChecked()).toBe(true);
    expect(await form.getByLabel('Type').inputValue()).toBe('hotp');
  });

  it('sends the operator back to sign-in with a message when the session expires, and back to the same page after', async () => {
    const { page } = browser;
    await filterBySerial(page, 'HT-1002');
    const where = new URL(page.url());
    server.advance(SESSION_IDLE_MS + 60_000);
    await page.getByRole('search', { name: 'Filter the HW tokens' }).getByRole('button', { name: 'SUBMIT' }).click();
    await expectBackAfterSignIn(where);
    await tokenRow(page, 'HT-1002').waitFor();
  });

  it('does the same when the session is revoked while a dialog is open', async () => {
    const { page } = browser;
    const where = new URL(page.url());
    const dialog = await chooseAction(page, 'HT-1002', 'DISABLE TEMPORARILY');
    await revokeSession();
    await dialog.getByRole('button', { name: 'DISABLE TEMPORARILY' }).click();
    await expectBackAfterSignIn(where);
    await tokenRow(page, 'HT-1002').waitFor();
    expect(await statusCell(page, 'HT-1002').textContent()).toBe('active');
  });

  it('switches tenant, keeping the section, and shows only what the role there allows', async () => {
    const { page } = browser;
    const switcher = page.getByLabel('Tenant');
    expect(await switcher.inputValue()).toBe('acme');
    expect(await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Audit' }).count()).toBe(1);
    await switcher.selectOption({ label: 'Globex Industries' });
    await page.waitForURL(/\/t\/globex\/devices\/hw-tokens$/);
    await page.getByText('There is no HW token in this tenant yet.').waitFor();
    // A viewer in this tenant: no audit trail.
    expect(await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Audit' }).count()).toBe(0);
  });

  it('signs out', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
    await page.goto('/t/acme/devices/hw-tokens');
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });
});
