// The layout holds from a 1280 px laptop to a wide screen: no sideways
// scrolling of the page, the filter and every column in view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot } from './support/browser.js';
import { openHwTokens, signIn, tokenTable } from './support/console.js';
import { OPERATORS, PASSWORD, seededServer } from './support/seed.js';
import type { RunningServer } from './support/server.js';

describe('layout', () => {
  let server: RunningServer;

  beforeAll(async () => {
    ({ server } = await seededServer(5));
  });

  afterAll(async () => {
    await server?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }, { width: 2560, height: 1300 }]) {
    it(`holds at ${viewport.width} px`, async () => {
      const browser = await openBrowser(server.baseUrl, viewport);
      try {
        const { page } = browser;
        await page.goto('/');
        await signIn(page, OPERATORS.officer.username, PASSWORD);
        await openHwTokens(page);
        await tokenTable(page).getByRole('button', { name: 'Actions for token HT-1001' }).waitFor();
        const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        expect(overflow).toBe(0);
        const menu = await tokenTable(page).getByRole('button', { name: 'Actions for token HT-1001' }).boundingBox();
        expect(menu!.x + menu!.width).toBeLessThanOrEqual(viewport.width);
        await screenshot(page, `token-list-${viewport.width}`);
      } finally {
        await browser.close();
      }
    });
  }
});
