import {
  openBrowser,
  openPage,
  screenshot,
  seriousViolations,
  settled,
  signIn,
  type ConsoleBrowser,
} from '../support/consoleBrowser';
import { seedSession, startConsoleServer, type ConsoleServer } from '../support/consoleServer';
import { waitFor } from '../support/kafkaTopic';

describe('console: every page, its accessibility and how it is served', () => {
  let server: ConsoleServer;
  let browser: ConsoleBrowser;
  let admin = '';
  let replayId = '';
  beforeAll(async () => {
    server = await startConsoleServer();
    admin = await server.token('admin', 'tenant-a');
    for (const [i, steps] of [3, 2, 1, 0].entries())
      await seedSession(server, { user: `p-${i}`, steps, complete: steps === 3 });
    replayId = await seedSession(server, { user: 'p-replay', steps: 2 });
    const poisoned = await seedSession(server, { user: 'p-poison', steps: 0 });
    server.poisoned.add(poisoned);
    const service = await server.token('service', 'tenant-a', 'seeder');
    await server.api(`/sessions/${poisoned}/events/`, service, {
      method: 'POST',
      body: JSON.stringify({ events: [{ type: 'step_entered', step: 'information_collection' }] }),
    });
    await waitFor(
      async () => (await server.api('/admin/dlq/tasks/', admin)).body.count >= 1,
      30_000,
      'a dead letter',
    );
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the shell uncached and the versioned files immutable, all under a strict CSP', async () => {
    const shell = await fetch(`${server.origin}/console/`);
    const csp = shell.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    const html = await shell.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/\sstyle=/);
    const [, version] = /\/console\/([0-9a-f]{12})\/app\/main\.js/.exec(html) ?? [];
    expect(version).toBeDefined();
    for (const file of [
      'app/main.js',
      'app/console.css',
      'vendor/chart.umd.min.js',
      'pages/funnel.js',
    ]) {
      const res = await fetch(`${server.origin}/console/${version}/${file}`);
      expect([file, res.status]).toEqual([file, 200]);
      expect(res.headers.get('cache-control')).toContain('immutable');
      expect(res.headers.get('content-security-policy')).toBe(csp);
    }
    expect((await fetch(`${server.origin}/console/000000000000/app/main.js`)).status).toBe(404);
  });

  it('the sign-in page has no serious or critical accessibility violation', async () => {
    const { page } = browser;
    await page.goto(`${server.origin}/console/`);
    await page.waitForSelector('#token');
    await screenshot(page, 'sign-in');
    expect(await seriousViolations(page)).toEqual([]);
  });

  const routes = () => ['funnel', 'heatmap', 'live', `replay/${replayId}`, 'dead-letters', 'audit'];

  it('every page renders with data, is saved as a screenshot and has no serious or critical accessibility violation', async () => {
    const { page } = browser;
    await signIn(page, server.origin, admin);
    for (const route of routes()) {
      await openPage(page, server.origin, route);
      if (route.startsWith('replay')) await page.waitForSelector('#as-of');
      if (route === 'dead-letters') {
        await page.locator('button', { hasText: 'Inspect' }).first().click();
        await page.waitForSelector('[data-section="dlq-detail"]');
      }
      await settled(page);
      expect([route, await page.locator('[data-state="error"]').count()]).toEqual([route, 0]);
      await screenshot(page, route.split('/')[0] ?? route);
      expect([route, await seriousViolations(page)]).toEqual([route, []]);
    }
    expect(browser.problems).toEqual([]);
  });

  it('the accessibility check does find violations when there are some', async () => {
    const { page } = browser;
    // An image without alt text: a critical violation.
    await page.evaluate(`document.querySelector('main').append(document.createElement('img'))`);
    expect((await seriousViolations(page)).join()).toContain('image-alt');
  });

  it('the not-allowed state has no serious or critical accessibility violation either', async () => {
    const { page } = browser;
    await signIn(page, server.origin, await server.token('user', 'tenant-a', 'u-1'));
    await openPage(page, server.origin, 'dead-letters');
    await page.waitForSelector('[data-state="forbidden"]');
    await screenshot(page, 'not-allowed');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
