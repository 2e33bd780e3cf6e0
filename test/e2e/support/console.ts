import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/**
 * The steps of the procedures operators are trained on (SPEC §10), by what
 * they see: labels, roles and visible text, never CSS classes.
 */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function openHwTokens(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Operational console' }).click();
  await page.getByRole('heading', { name: 'Operational console', level: 1 }).waitFor();
  await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Devices' }).click();
  await page.getByRole('tab', { name: 'HW tokens' }).click();
  await tokenTable(page).waitFor();
}

export function tokenTable(page: Page): Locator {
  return page.getByRole('table', { name: 'HW tokens' });
}

export function tokenRow(page: Page, serial: string): Locator {
  return page.getByRole('row').filter({ has: page.getByRole('link', { name: serial, exact: true }) });
}

/** Fills the serial field of the filter, presses SUBMIT, and waits for the list to show the token `shows`. */
export async function filterBySerial(page: Page, serial: string, shows = serial): Promise<void> {
  const form = page.getByRole('search', { name: 'Filter the HW tokens' });
  await form.getByLabel('Serial').fill(serial);
  await form.getByRole('button', { name: 'SUBMIT' }).click();
  await page.waitForURL((url) => url.searchParams.get('serial') === serial);
  await tokenRow(page, shows).waitFor();
  await expect.poll(() => tokenTable(page).getAttribute('aria-busy')).toBe('false');
}

export async function openRowMenu(page: Page, serial: string): Promise<Locator> {
  await page.getByRole('button', { name: `Actions for token ${serial}` }).click();
  const menu = page.getByRole('menu');
  await menu.waitFor();
  return menu;
}

export async function menuActions(page: Page, serial: string): Promise<string[]> {
  const menu = await openRowMenu(page, serial);
  const items = (await menu.getByRole('menuitem').allTextContents()).map((text) => text.trim());
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden' });
  return items;
}

/** Opens the row's menu, picks the action, and returns the dialog it opens. */
export async function chooseAction(page: Page, serial: string, action: string): Promise<Locator> {
  const menu = await openRowMenu(page, serial);
  await menu.getByRole('menuitem', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return dialog;
}

/** The status badges of a row, as the operator reads them. */
export function statusCell(page: Page, serial: string): Locator {
  return tokenRow(page, serial).getByRole('cell').nth(3);
}

export function holderCell(page: Page, serial: string): Locator {
  return tokenRow(page, serial).getByRole('cell').nth(4);
}
