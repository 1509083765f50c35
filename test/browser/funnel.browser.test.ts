import {
  openBrowser,
  openPage,
  screenshot,
  settled,
  signIn,
  type ConsoleBrowser,
} from '../support/consoleBrowser';
import { seedSession, startConsoleServer, type ConsoleServer } from '../support/consoleServer';
import { waitFor } from '../support/kafkaTopic';

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** The page's default period: the last 30 days, today included (end = tomorrow, exclusive). */
const period = () => ({ start_date: day(-29), end_date: day(1), flow_id: 'default' });

describe("console: the funnel page shows the API's numbers", () => {
  let server: ConsoleServer;
  let browser: ConsoleBrowser;
  let admin = '';
  beforeAll(async () => {
    server = await startConsoleServer();
    // tenant-a: 2 complete, 2 stopped after two steps, 1 after one (mobile), 1 only started.
    const plan = [
      { steps: 3, complete: true },
      { steps: 3, complete: true },
      { steps: 2 },
      { steps: 2 },
      { steps: 1, channel: 'mobile' },
      { steps: 0 },
    ];
    for (const [i, p] of plan.entries()) await seedSession(server, { user: `fa-${i}`, ...p });
    // Another tenant's sessions must never show up for tenant-a's admin.
    for (const i of [0, 1, 2])
      await seedSession(server, { tenant: 'tenant-b', user: `fb-${i}`, steps: 1 });
    admin = await server.token('admin', 'tenant-a');
    const q = new URLSearchParams(period()).toString();
    await waitFor(
      async () => (await server.api(`/analytics/funnel/?${q}`, admin)).body.total_sessions === 6,
      30_000,
      'the projection to catch up',
    );
    browser = await openBrowser();
    await signIn(browser.page, server.origin, admin);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the totals and every stage exactly as the funnel endpoint answers', async () => {
    const { page } = browser;
    await openPage(page, server.origin, 'funnel');
    const api = (
      await server.api(`/analytics/funnel/?${new URLSearchParams(period()).toString()}`, admin)
    ).body;
    expect(api.total_sessions).toBe(6); // tenant-a's only: tenant-b's 3 are not in it
    const figure = (key: string) => page.locator(`[data-figure="${key}"]`).innerText();
    expect(await figure('total_sessions')).toBe(String(api.total_sessions));
    expect(await figure('completed_sessions')).toBe(String(api.completed_sessions));
    expect(await figure('overall_conversion_rate')).toBe(String(api.overall_conversion_rate));
    for (const stage of api.stages) {
      expect(await page.locator(`[data-stage-count="${stage.stage}"]`).innerText()).toBe(
        String(stage.count),
      );
      expect(await page.locator(`[data-stage-drop="${stage.stage}"]`).innerText()).toBe(
        String(stage.drop_off_count),
      );
    }
    // Still running per stage, as the API splits it (never counted as a drop-off).
    expect(await figure('in_progress_sessions')).toBe(String(api.in_progress_sessions));
    const stages = api.stages as { stage: string; in_progress: number }[];
    for (const stage of stages.slice(0, -1))
      expect(await page.locator(`[data-in-progress="${stage.stage}"]`).innerText()).toBe(
        String(stage.in_progress),
      );
    // The bar chart was drawn by Chart.js on a canvas.
    expect(await page.locator('[data-section="funnel"] canvas').count()).toBe(1);
    expect(await page.locator('[data-section="comparison"]').innerText()).toContain(
      'two-proportion z-test',
    );
    expect(browser.problems).toEqual([]);
    await screenshot(page, 'funnel');
  });

  it('splits by a cohort key as the cohort comparison answers', async () => {
    const { page } = browser;
    await page.selectOption('#cohort', 'channel');
    await page.click('form.controls button[type="submit"]');
    await settled(page);
    type Cohorts = { cohorts: { cohort: string; sessions: number; completed: number }[] };
    const api = (
      await server.api(
        `/analytics/cohort-comparison/?${new URLSearchParams({ ...period(), cohort_by: 'channel' }).toString()}`,
        admin,
      )
    ).body as Cohorts;
    const rows = await page
      .locator('table:has(caption:text("Conversion by channel")) tbody tr')
      .allInnerTexts();
    expect(rows.map((r) => r.split('\t').slice(0, 3))).toEqual(
      api.cohorts.map((c) => [String(c.cohort), String(c.sessions), String(c.completed)]),
    );
    expect(api.cohorts.map((c) => c.cohort).sort()).toEqual(['mobile', 'web']);
  });
});
