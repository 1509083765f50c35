import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (test/run.sh installs it when missing); Playwright never downloads one. */
export const chromiumPath = '/usr/bin/chromium';

/** Screenshots of every page go here (gitignored), next to the rest of the test output. */
export const screenshotDir = path.join(__dirname, '..', '..', 'test-output', 'console');

export type ConsoleBrowser = Readonly<{
  context: BrowserContext;
  page: Page;
  /** Content-Security-Policy refusals and page errors seen so far (should stay empty). */
  problems: string[];
  close: () => Promise<void>;
}>;

/** A fresh headless Chromium with its own throwaway user-data directory. */
export const openBrowser = async (): Promise<ConsoleBrowser> => {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'waymark-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
};

/** Signs in the way the development link does: the token in the URL fragment. */
export const signIn = async (page: Page, origin: string, token: string) => {
  await page.goto('about:blank');
  await page.goto(`${origin}/console/#token=${token}`);
  await page.waitForURL(/#\/funnel$/);
};

/** Opens a page of the console by its hash route and waits until nothing is loading. */
export const openPage = async (page: Page, origin: string, route: string) => {
  await page.goto(`${origin}/console/#/${route}`);
  await page.waitForSelector(`[data-page="${route.split('/')[0]}"]`);
  await settled(page);
};

/** Waits until no section shows its loading state. */
export const settled = async (page: Page) => {
  // Locators, not waitForFunction: the console's CSP forbids the eval that polling would use.
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
};

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now. */
export const seriousViolations = async (page: Page) => {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const results: unknown = await page.evaluate('axe.run(document)');
  const { violations } = results as {
    violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
  };
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

export const screenshot = async (page: Page, name: string) => {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
};
