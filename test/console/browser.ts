// Headless Chromium for the console's browser tests: Debian's /usr/bin/chromium (CI
// installs it) driven by playwright-core. A page records script errors and dialogs
// (which a hostile string must never open), and saves screenshots as test artifacts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.BULWARK_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = new URL('../../test-artifacts/console/', import.meta.url).pathname;

/** Skip without a browser on a developer's machine; in CI a missing browser is a failure. */
export const NO_BROWSER = !existsSync(CHROMIUM) && !process.env.CI && `no browser at ${CHROMIUM}`;

export interface ConsolePage {
  browser: Browser;
  page: Page;
  /** Messages of dialogs the page opened (alert, confirm): none is expected. */
  dialogs: string[];
  /** Script errors and blocked content; AWS errors answered to API calls are expected and not listed. */
  errors: string[];
  /** Saves a screenshot, and checks that every form field on the page has a label. */
  shot(name: string): Promise<void>;
  heading(name: string): Promise<void>;
  close(): Promise<void>;
}

/** The form fields of the page that no label names (every one must have one). */
export function unlabelledFields(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Field = { labels: { length: number } | null; getAttribute(name: string): string | null; outerHTML: string };
    const fields = (globalThis as unknown as { document: { querySelectorAll(selector: string): Iterable<Field> } }).document.querySelectorAll(
      'input:not([type=hidden]), select, textarea',
    );
    return [...fields].filter((field) => !field.labels?.length && !field.getAttribute('aria-label')).map((field) => field.outerHTML.slice(0, 120));
  });
}

export async function openConsolePage(): Promise<ConsolePage> {
  await mkdir(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(15_000);
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  return {
    browser,
    page,
    dialogs,
    errors,
    shot: async (name) => {
      await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
      assert.deepEqual(await unlabelledFields(page), [], `form fields without a label on ${name}`);
    },
    heading: (name) => page.getByRole('heading', { name, exact: true }).waitFor(),
    close: () => browser.close(),
  };
}
