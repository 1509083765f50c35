import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { insertDeadLetters } from '../../infra/postgres/dlqStore';
import { createSessionSummaryProjection } from '../../projections/sessionSummary/sessionSummaryProjection';
import { createEmbeddedFeeder } from '../../services/projector/embeddedFeeder';
import { bearer, buildTestApp } from '../support/apiHarness';
import { deadLetterRow } from '../support/builders/deadLetters';
import { promtool } from '../support/promtool';
import { seedSessions, toNewEvents } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const base = '/api/v1/onboarding';
const analyticsEndpoints = [
  '/analytics/funnel/',
  '/analytics/recommendations/',
  '/analytics/drop-off-heatmap/',
  '/analytics/cohort-comparison/',
  '/analytics/realtime/',
  '/analytics/comparison/',
  '/dashboard/overview/',
  '/dashboard/heatmap/',
  '/dashboard/cohort-trends/',
];

/** Value of one sample in an exposition body (0 when the series is absent). */
const sample = (body: string, series: string) => {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
};

/** Each metric fixed by issue 14, exercised through its feature and seen to move. */
describe('metrics move when their feature runs', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('API: appends, one route label for 2xx and errors, every analytics endpoint timed, admin retry outcome, caller in the log', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const [session = ''] = await seedSessions(store, 1);
    const { app, metrics, logLines } = buildTestApp(store, { sql: db.sql });
    const scrape = async () => (await request(app).get('/metrics').expect(200)).text;
    const before = await scrape();

    const user = await bearer('user', 'tenant-a', 'subject-42');
    const started = await request(app)
      .post(`${base}/conversation/start/`)
      .set('Authorization', user)
      .send({})
      .expect(201);
    const id = (started.body as { conversation_id: string }).conversation_id;
    await request(app).get(`${base}/sessions/${id}/`).set('Authorization', user).expect(200);
    await request(app).get(`${base}/sessions/${randomUUID()}/`).set('Authorization', user);

    const admin = await bearer('admin', 'tenant-a', 'admin-7');
    for (const path of analyticsEndpoints)
      await request(app).get(`${base}${path}`).set('Authorization', admin).expect(200);

    await db.sql.transaction((tx) =>
      insertDeadLetters(tx, [deadLetterRow(900, { sessionId: session })], 3),
    );
    const [entry] = await db.sql.query<{ id: string }>(
      'SELECT id FROM waymark.dlq_entries WHERE source_offset = 900',
    );
    await request(app)
      .post(`${base}/admin/dlq/tasks/${entry?.id}/retry/`)
      .set('Authorization', admin)
      .send({})
      .expect(200);

    const after = await scrape();
    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved('events_appended_total{type="SessionStarted"}')).toBe(1);
    // The 200 and the 404 of one route are one route label (the 404 used to lose the base path).
    const route = `route="${base}/sessions/:id/"`;
    expect(after).toContain(`method="GET",${route},status="200"}`);
    expect(after).toMatch(
      new RegExp(`method="GET",${route.replace(/[/:]/g, '\\$&')},status="4\\d\\d"}`),
    );
    expect(after).not.toMatch(/route="\/sessions\//);
    for (const endpoint of analyticsEndpoints)
      expect(moved(`analytics_query_duration_seconds_count{endpoint="${endpoint}"}`)).toBe(1);
    expect(moved('analytics_cache_requests_total{result="miss"}')).toBeGreaterThan(0);
    expect(
      moved('dlq_task_retries_total{task_name="projector",trigger="admin",outcome="success"}'),
    ).toBe(1);
    expect(after).not.toContain('analytics_cache_hit_rate');

    const requestLines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(requestLines).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        subject: 'subject-42',
        role: 'user',
        status: '201',
      }),
    );
    expect(requestLines).toContainEqual(
      expect.objectContaining({ msg: 'request', subject: 'admin-7', role: 'admin' }),
    );
    // Unauthenticated requests (health, metrics) carry no caller.
    expect(requestLines.find((l) => l.route === `${base}/health/`)?.subject).toBeUndefined();

    const lint = await promtool(['check', 'metrics'], await metrics.registry.metrics());
    expect(lint.output).toBe('');
    expect(lint.code).toBe(0);
  });

  it('embedded feed: dead letters counted, heartbeat set', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    await seedSessions(store, 2);
    await store.appendToStream(
      `onboarding-${randomUUID()}`,
      toNewEvents([{ type: 'SessionCompleted', data: { at: new Date().toISOString() } }]),
      { expectedVersion: -1 },
    );
    const metrics = createMetrics(undefined, false);
    const before = Date.now() / 1000;
    await createEmbeddedFeeder({
      eventStore: store,
      sql: db.sql,
      projection: createSessionSummaryProjection(),
      logger: createLogger('silent'),
      groupId: 'embedded-metrics',
      category: 'onboarding',
      intervalMs: 20,
      maxRetries: 3,
      metrics,
    }).drain();
    const body = await metrics.registry.metrics();
    const failures = body
      .split('\n')
      .filter((l) => l.startsWith('dlq_task_failures_total{task_name="embedded-metrics"'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/ 1$/);
    expect(
      sample(body, 'worker_heartbeat_timestamp_seconds{worker="embedded-metrics"}'),
    ).toBeGreaterThanOrEqual(Math.floor(before));
  });
});
