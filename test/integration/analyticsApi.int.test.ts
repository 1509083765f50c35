import request from 'supertest';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { createSessionSummaryProjection } from '../../projections/sessionSummary/sessionSummaryProjection';
import { bearer, buildTestApp } from '../support/apiHarness';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const base = '/api/v1/onboarding/analytics';

describe('analytics API: input and contracts', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.transaction((tx) => createSessionSummaryProjection().ensureSchema(tx));
  });
  afterAll(async () => db.drop());

  it.each([
    ['funnel/?start_date=2026-02-01&end_date=2026-01-01', 'invalid_range'],
    ['funnel/?start_date=2020-01-01&end_date=2026-01-01', 'invalid_range'],
    ['funnel/?start_date=yesterday', 'validation_error'],
    ['funnel/?flow_id=nope', 'unknown_flow'],
    ['funnel/?extra=1', 'validation_error'],
    ['drop-off-heatmap/?granularity=minutely', 'validation_error'],
    ['cohort-comparison/?cohort_by=shoe_size', 'validation_error'],
    ['recommendations/?min_confidence=2', 'validation_error'],
    ['comparison/?period_days=0', 'validation_error'],
  ])('%s → 400 %s', async (path, code) => {
    const { app } = buildTestApp(createInMemoryEventStore(), { privacySql: db.sql });
    const res = await request(app)
      .get(`${base}/${path}`)
      .set('Authorization', await bearer('admin'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: code, correlation_id: expect.any(String) });
  });

  it('an admin may not look at another tenant; a period without change is stable', async () => {
    const { app } = buildTestApp(createInMemoryEventStore(), { privacySql: db.sql });
    const other = await request(app)
      .get(`${base}/funnel/?client_id=tenant-b`)
      .set('Authorization', await bearer('admin', 'tenant-a'));
    expect(other.status).toBe(403);
    const cmp = await request(app)
      .get(`${base}/comparison/`)
      .set('Authorization', await bearer('admin', 'empty-tenant'));
    expect(cmp.status).toBe(200);
    expect(cmp.body).toMatchObject({
      trend: 'stable',
      changes: { sessions: 0, conversion_rate: 0 },
    });
    const heat = await request(app)
      .get(`${base}/drop-off-heatmap/?granularity=hourly`)
      .set('Authorization', await bearer('admin', 'empty-tenant'));
    expect(heat.body).toMatchObject({
      stages: ['started', 'information_collection', 'recommendation_review', 'approval'],
      buckets: [],
      matrix: [],
    });
  });
});
