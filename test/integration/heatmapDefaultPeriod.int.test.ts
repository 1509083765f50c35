import request from 'supertest';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { testLiveProjection } from '../support/liveProjection';
import { bearer, buildTestApp } from '../support/apiHarness';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const base = '/api/v1/onboarding';

/**
 * The documented heatmaps' default period (the last 7 days) ends now, like every default period:
 * with the API's clock 30 s into a minute, a session started and cancelled a second before is in
 * the default heatmap (it was not while the end was floored to the minute).
 */
describe('default heatmap period', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('ends now, not at the start of the current minute', async () => {
    const now = Date.parse('2026-06-15T12:00:30.000Z');
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    // The session starts a second before the heatmap is asked for (a period's end is exclusive).
    let clock = now - 1_000;
    const { app } = buildTestApp(store, { sql: db.sql, clock: () => new Date(clock) });
    const tenant = `heat-${Date.now()}`;
    const user = await bearer('user', tenant, 'heat-user');
    const started = await request(app)
      .post(`${base}/conversation/start/`)
      .set('Authorization', user)
      .send({});
    expect(started.status).toBe(201);
    const id = (started.body as { conversation_id: string }).conversation_id;
    const cancelled = await request(app)
      .post(`${base}/sessions/${id}/events/`)
      .set('Authorization', user)
      .send({ events: [{ type: 'session_cancelled' }] });
    expect(cancelled.status).toBe(201);
    const live = testLiveProjection();
    const events = await store.readCategory('onboarding', 1, 10_000);
    await db.sql.transaction((tx) => live.applyBatch(tx, events));

    clock = now;
    const admin = await bearer('admin', tenant);
    for (const path of ['analytics/drop-off-heatmap/', 'dashboard/heatmap/']) {
      const res = await request(app).get(`${base}/${path}`).set('Authorization', admin);
      expect(res.status).toBe(200);
      const body = res.body as {
        time_range: { start_date: string; end_date: string };
        heatmap_data: { sessions_started: number; drop_offs: number }[];
      };
      expect(body.time_range.end_date).toBe(new Date(now).toISOString());
      expect(body.time_range.start_date).toBe(new Date(now - 7 * 86_400_000).toISOString());
      expect(body.heatmap_data.reduce((n, b) => n + b.sessions_started, 0)).toBe(1);
      expect(body.heatmap_data.reduce((n, b) => n + b.drop_offs, 0)).toBe(1);
    }
  });
});
