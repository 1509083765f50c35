import request from 'supertest';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { createRedisResponseCache } from '../../infra/redis/responseCache';
import { bearer, buildTestApp } from '../support/apiHarness';
import { testEnv } from '../support/testEnv';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const base = '/api/v1/onboarding/analytics';

describe('analytics API: input and contracts', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
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
    const { app } = buildTestApp(createInMemoryEventStore(), { sql: db.sql });
    const res = await request(app)
      .get(`${base}/${path}`)
      .set('Authorization', await bearer('admin'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: code, correlation_id: expect.any(String) });
  });

  it('an admin may not look at another tenant; a period without change is stable', async () => {
    const { app } = buildTestApp(createInMemoryEventStore(), { sql: db.sql });
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

  it('caches responses in Redis under tenant-scoped keys, and answers from PostgreSQL when Redis is down', async () => {
    const redis = createRedis(testEnv.redisUrl, 1_000);
    await redisReady(redis, 2_000);
    const down = createRedis('redis://127.0.0.1:1', 50);
    down.on('error', () => undefined);
    try {
      const tenant = `cache-${Date.now()}`;
      const admin = await bearer('admin', tenant);
      const cached = buildTestApp(createInMemoryEventStore(), {
        sql: db.sql,
        analyticsCache: createRedisResponseCache(redis),
      });
      const first = await request(cached.app)
        .get(`/api/v1/onboarding/dashboard/overview/?time_range_hours=6`)
        .set('Authorization', admin);
      expect(first.status).toBe(200);
      expect(await redis.exists(`dashboard:overview:${tenant}:6:default`)).toBe(1);
      await request(cached.app)
        .get(`/api/v1/onboarding/dashboard/overview/?time_range_hours=6`)
        .set('Authorization', admin);
      const metrics = await cached.metrics.registry.getSingleMetricAsString(
        'analytics_cache_requests_total',
      );
      expect(metrics).toContain('result="hit"} 1');
      expect(metrics).toContain('result="miss"} 1');
      const bypass = buildTestApp(createInMemoryEventStore(), {
        sql: db.sql,
        analyticsCache: createRedisResponseCache(down),
      });
      const res = await request(bypass.app).get(`${base}/funnel/`).set('Authorization', admin);
      expect(res.status).toBe(200);
      const trends = await request(bypass.app)
        .get(`/api/v1/onboarding/dashboard/cohort-trends/?cohort_type=monthly`)
        .set('Authorization', admin);
      expect(trends.body.trends.conversion_trend).toBe('insufficient_data');
      const realtime = await request(bypass.app)
        .get(`${base}/realtime/`)
        .set('Authorization', admin);
      // at_risk_sessions is the documented list; Waymark's count moved to at_risk_count.
      expect(realtime.body).toMatchObject({
        active_sessions: 0,
        at_risk_sessions: [],
        at_risk_count: 0,
      });
    } finally {
      redis.disconnect();
      down.disconnect();
    }
  });
});
