import {
  openBrowser,
  openPage,
  settled,
  signIn,
  type ConsoleBrowser,
} from '../support/consoleBrowser';
import { seedSession, startConsoleServer, type ConsoleServer } from '../support/consoleServer';
import { waitFor } from '../support/kafkaTopic';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('console: dead letters, replay and who may see what', () => {
  let server: ConsoleServer;
  let browser: ConsoleBrowser;
  let admin = '';
  beforeAll(async () => {
    server = await startConsoleServer();
    admin = await server.token('admin', 'tenant-a');
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('retries a dead letter from the console: its status changes and the audit log shows the retry', async () => {
    const id = await seedSession(server, { user: 'poison-user', steps: 0 });
    server.poisoned.add(id); // from now on this session's events fail in the projection
    const service = await server.token('service', 'tenant-a', 'seeder');
    await server.api(`/sessions/${id}/events/`, service, {
      method: 'POST',
      body: JSON.stringify({ events: [{ type: 'step_entered', step: 'information_collection' }] }),
    });
    type Tasks = { count: number; results: { task_id: string; status: string }[] };
    const list = async () =>
      (await server.api(`/admin/dlq/tasks/?session_id=${id}`, admin)).body as Tasks;
    await waitFor(async () => (await list()).count >= 1, 30_000, 'the dead letter');
    server.poisoned.delete(id); // the "bug" is fixed: a re-drive can now succeed
    const task = (await list()).results[0] ?? { task_id: 'none', status: 'none' };
    expect(task.status).toBe('pending');

    const { page } = browser;
    await signIn(page, server.origin, admin);
    await openPage(page, server.origin, 'dead-letters');
    const status = page.locator(`[data-task-status="${task.task_id}"]`);
    expect(await status.innerText()).toBe('pending');
    await page.click(`[data-retry="${task.task_id}"]`);
    await page.locator(`[data-task-status="${task.task_id}"]`, { hasText: /^resolved$/ }).waitFor();
    expect(new Set((await list()).results.map((t) => t.status))).toEqual(new Set(['resolved']));

    await openPage(page, server.origin, 'audit');
    const retries = page.locator('[data-audit-action="dlq.retry"]');
    expect(await retries.count()).toBe(1);
    expect(
      await page.locator('[data-section="audit"] tbody tr', { has: retries }).innerText(),
    ).toContain(task.task_id);
    expect(browser.problems).toEqual([]);
  });

  it('moves the replay slider and shows the session as it was at that time, personal fields masked', async () => {
    const id = await seedSession(server, { user: 'replay-user', steps: 0 });
    const service = await server.token('service', 'tenant-a', 'seeder');
    const send = async (event: object) => {
      await sleep(20); // distinct event times, so each slider position is its own moment
      await server.api(`/sessions/${id}/events/`, service, {
        method: 'POST',
        body: JSON.stringify({ events: [event] }),
      });
    };
    await send({ type: 'step_entered', step: 'information_collection' });
    await send({
      type: 'question_answered',
      step: 'information_collection',
      question_id: 'q1',
      answer: 'my secret answer',
    });
    await send({ type: 'step_completed', step: 'information_collection' });
    await send({ type: 'step_entered', step: 'recommendation_review' });

    const { page } = browser;
    await openPage(page, server.origin, `replay/${id}`);
    await page.waitForSelector('#as-of');
    const field = (name: string) => page.locator(`[data-state-field="${name}"]`).innerText();
    expect(await field('current_step')).toBe('recommendation_review');
    await page.focus('#as-of');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight'); // the third event: the answer
    await page.locator('[data-state-field="events"]', { hasText: /^3$/ }).waitFor();
    await settled(page);
    const whole = (await server.api(`/dashboard/session-replay/${id}/`, admin)).body;
    const asOf = whole.timeline[2].timestamp;
    const then = (
      await server.api(`/dashboard/session-replay/${id}/?as_of=${encodeURIComponent(asOf)}`, admin)
    ).body;
    expect(await page.locator('[data-figure="as-of"]').innerText()).toBe(asOf);
    expect(await field('current_step')).toBe(String(then.state_as_of.current_step));
    expect(await field('version')).toBe(String(then.state_as_of.version));
    expect(await field('current_step')).toBe('information_collection');
    const text = await page.locator('main').innerText();
    expect(text).toContain('"answer":{"masked":true}');
    expect(text).not.toContain('my secret answer');
  });

  it('shows a user "not allowed" on admin pages and an admin nothing of another tenant', async () => {
    const other = await seedSession(server, { tenant: 'tenant-b', user: 'b-user', steps: 1 });
    const { page } = browser;
    await signIn(page, server.origin, await server.token('user', 'tenant-a', 'plain-user'));
    for (const route of ['funnel', 'heatmap', 'live', 'dead-letters', 'audit']) {
      await openPage(page, server.origin, route);
      await page.waitForSelector('[data-state="forbidden"]');
      expect(await page.locator('[data-state="forbidden"]').first().innerText()).toContain(
        'Not allowed',
      );
      expect(await page.locator('table').count()).toBe(0);
    }
    await signIn(page, server.origin, admin);
    await openPage(page, server.origin, `replay/${other}`);
    await settled(page);
    expect(await page.locator('[data-state="error"], [data-state="forbidden"]').count()).toBe(1);
    expect(await page.locator('#as-of').count()).toBe(0);
    expect(await page.locator('main').innerText()).not.toContain('b-user');
    await openPage(page, server.origin, 'dead-letters');
    expect(await page.locator('main').innerText()).not.toContain(other);
  });
});
