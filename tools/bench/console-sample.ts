import { openBrowser } from '../../test/e2e/support/browser.js';
import { openHwTokens, signIn } from '../../test/e2e/support/console.js';

/** How the operator reaches the HW tokens list after pressing Sign in. */
export type Route = 'procedure' | 'deep-link';

export const ROUTES: Record<Route, string> = {
  procedure: 'procedure: /, sign in, Operational console, Devices, HW tokens',
  'deep-link': 'deep link: the HW tokens URL, sign-in returns to it',
};

/** One sign-in, in milliseconds from pressing Sign in, as the browser's own clock saw it. */
export interface SignInSample {
  /** The first page's rows painted. */
  total: number;
  /** The answer to POST /auth/login complete. */
  loginDone: number;
  /** GET …/hw-tokens (the first page, with its total) sent, and its answer complete. */
  listSent: number;
  listDone: number;
  /**
   * GET …/hw-tokens/stats (the Overview's figures, on the procedure's way):
   * sent, and answered or given up (leaving the Overview cancels it in the
   * browser, not on the server); undefined when not sent.
   */
  stats?: { sent: number; ended: number; answered: boolean };
}

const ROWS = 50;

/**
 * Run in the page before pressing Sign in: notes when the sign-in button is
 * clicked (the event's own time) and resolves with the time of the first
 * frame after the HW tokens table holds ROWS rows. A string, so that no
 * bundler helper leaks into the page.
 */
const WATCH_FIRST_PAGE = `new Promise((resolve) => {
  let pressedAt;
  document.addEventListener('click', (event) => {
    if (pressedAt === undefined && event.target instanceof Element && event.target.closest('button[type="submit"]')) pressedAt = event.timeStamp;
  }, true);
  const observer = new MutationObserver(() => {
    if (document.querySelectorAll('table[aria-label="HW tokens"] tbody tr').length < ${ROWS}) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => resolve({ pressedAt, shownAt: performance.now() })));
  });
  observer.observe(document.body, { childList: true, subtree: true });
})`;

/** Resolves on the first frame that shows the Operational console's start page (run as page script: the console's CSP forbids eval). */
const OVERVIEW_SHOWN = `new Promise((resolve) => {
  const check = () => (document.querySelector('h1')?.textContent === 'Operational console' ? resolve() : requestAnimationFrame(check));
  check();
})`;

const API_CALLS = `performance.getEntriesByType('resource')
  .filter((entry) => entry.name.includes('/api/v1/'))
  .map((entry) => ({ path: new URL(entry.name).pathname, start: entry.startTime, end: entry.responseEnd, answered: entry.responseStart > 0 }))`;

/** `end` is when the answer ended, or when the request was given up (`answered` false). */
interface ApiCall { path: string; start: number; end: number; answered: boolean }

/** A fresh browser (profile, cache, cookies): open the route's page, sign in, wait for the first page of tokens. */
export async function signInSample(baseUrl: string, tenant: string, operator: { username: string; password: string }, route: Route): Promise<SignInSample> {
  const browser = await openBrowser(baseUrl);
  try {
    const { page } = browser;
    await page.goto(route === 'procedure' ? '/' : `/t/${tenant}/devices/hw-tokens`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const shown = page.evaluate(WATCH_FIRST_PAGE) as Promise<{ pressedAt: number; shownAt: number }>;
    // Awaited below; a step failing first must not leave it rejected and unhandled (that ends the process, server and all).
    shown.catch(() => undefined);
    await signIn(page, operator.username, operator.password);
    if (route === 'procedure') {
      // Waited for frame by frame: a locator retries on a back-off (up to 500 ms between tries) while sign-in runs.
      await page.evaluate(OVERVIEW_SHOWN);
      await openHwTokens(page);
    }
    const { pressedAt, shownAt } = await shown;
    const calls = (await page.evaluate(API_CALLS)) as ApiCall[];
    const call = (suffix: string) => calls.find((c) => c.start >= pressedAt && c.path.endsWith(suffix));
    const login = call('/auth/login');
    const list = call(`/tenants/${tenant}/hw-tokens`);
    const stats = call(`/tenants/${tenant}/hw-tokens/stats`);
    if (!login || !list) throw new Error(`the sign-in or the list request was not seen: ${JSON.stringify(calls)}`);
    return {
      total: shownAt - pressedAt,
      loginDone: login.end - pressedAt,
      listSent: list.start - pressedAt,
      listDone: list.end - pressedAt,
      stats: stats && { sent: stats.start - pressedAt, ended: stats.end - pressedAt, answered: stats.answered },
    };
  } finally {
    await browser.close();
  }
}
