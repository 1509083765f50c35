import request from 'supertest';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { insertDeadLetters } from '../../infra/postgres/dlqStore';
import { bearer, buildTestApp } from '../support/apiHarness';
import { deadLetterRow } from '../support/builders/deadLetters';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const base = '/api/v1/onboarding';
const now = new Date('2026-03-10T12:00:00.000Z');
const hoursBefore = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

/** ANALYTICS_DEFAULT_TIME_RANGE_HOURS: the window of the overview and DLQ stats when none is asked. */
describe('the default time range of dashboard/overview/ and admin/dlq/stats/', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    // One dead letter 30 h old: inside a 48 h window, outside a 24 h one.
    await db.sql.transaction((tx) =>
      insertDeadLetters(tx, [deadLetterRow(1, { tenantId: 'range-tenant' })], 3),
    );
    await db.sql.query(
      `UPDATE waymark.dlq_entries SET created_at = now() - interval '30 hours' WHERE tenant_id = 'range-tenant'`,
    );
  });
  afterAll(async () => db.drop());

  const fetch = async (env: Record<string, string>, query = '') => {
    const { app } = buildTestApp(createInMemoryEventStore(), {
      sql: db.sql,
      env,
      clock: () => now,
    });
    const admin = await bearer('admin', 'range-tenant');
    const overview = await request(app)
      .get(`${base}/dashboard/overview/${query}`)
      .set('Authorization', admin);
    const stats = await request(app)
      .get(`${base}/admin/dlq/stats/${query}`)
      .set('Authorization', admin);
    expect([overview.status, stats.status]).toEqual([200, 200]);
    return { overview: overview.body, stats: stats.body };
  };

  it('is 24 hours with nothing configured', async () => {
    const { overview, stats } = await fetch({});
    expect(overview.time_range).toMatchObject({ hours: 24, start: hoursBefore(24) });
    expect(stats.time_range).toMatchObject({ hours: 24, start: hoursBefore(24) });
    expect(stats.total_failed_tasks).toBe(0);
  });

  it('is the configured number of hours, and an explicit time_range_hours still wins', async () => {
    const env = { ANALYTICS_DEFAULT_TIME_RANGE_HOURS: '48' };
    const { overview, stats } = await fetch(env);
    expect(overview.time_range).toMatchObject({ hours: 48, start: hoursBefore(48) });
    expect(stats.time_range).toMatchObject({ hours: 48, start: hoursBefore(48) });
    expect(stats.total_failed_tasks).toBe(1);
    const asked = await fetch(env, '?time_range_hours=6');
    expect(asked.overview.time_range.hours).toBe(6);
    expect(asked.stats).toMatchObject({ time_range: { hours: 6 }, total_failed_tasks: 0 });
  });

  it('refuses a configured default outside 1–2160 at startup', () => {
    expect(() =>
      buildTestApp(createInMemoryEventStore(), {
        sql: db.sql,
        env: { ANALYTICS_DEFAULT_TIME_RANGE_HOURS: '0' },
      }),
    ).toThrow(/ANALYTICS_DEFAULT_TIME_RANGE_HOURS/);
  });
});
