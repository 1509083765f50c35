import request from 'supertest';
import { loadConfig } from '../../infra/config/loadConfig';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createLogger } from '../../infra/observability/logger';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { createRedisResponseCache } from '../../infra/redis/responseCache';
import { testLiveProjection } from '../support/liveProjection';
import { createEmbeddedFeeder } from '../../services/projector/embeddedFeeder';
import { bearer, buildTestApp } from '../support/apiHarness';
import { waitFor } from '../support/kafkaTopic';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { testEnv } from '../support/testEnv';

const base = '/api/v1/onboarding';

/**
 * Default periods end now: in embedded mode (the in-process feed at its configured interval) a
 * session started through the API is in the default funnel once projected — within the 5 s the
 * README promises — although answers are cached, and an unchanged read model is a cache hit.
 */
describe('the default funnel is fresh and still cached', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('shows a session started a moment ago, then reuses the cached answer', async () => {
    const redis = createRedis(testEnv.redisUrl, 1_000);
    await redisReady(redis, 2_000);
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const feeder = createEmbeddedFeeder({
      eventStore: store,
      sql: db.sql,
      projection: testLiveProjection(),
      logger: createLogger('silent'),
      groupId: 'projector',
      category: 'onboarding',
      intervalMs: loadConfig({}).consumers.embeddedFeedIntervalMs,
      maxRetries: 3,
    });
    try {
      const tenant = `fresh-${Date.now()}`;
      const { app, metrics } = buildTestApp(store, {
        sql: db.sql,
        analyticsCache: createRedisResponseCache(redis),
      });
      const admin = await bearer('admin', tenant);
      const funnel = async () =>
        (await request(app).get(`${base}/analytics/funnel/`).set('Authorization', admin)).body as {
          total_sessions: number;
          stages: { stage: string; count: number; in_progress: number; drop_off_count: number }[];
        };
      expect((await funnel()).total_sessions).toBe(0); // cached now, with nothing projected
      feeder.start();
      const started = await request(app)
        .post(`${base}/conversation/start/`)
        .set('Authorization', await bearer('user', tenant, 'fresh-user'))
        .send({});
      expect(started.status).toBe(201);
      await waitFor(async () => (await funnel()).total_sessions === 1, 5_000, 'the new session');
      const body = await funnel();
      // Running, not dropped: in progress at `started`.
      expect(body.stages[0]).toMatchObject({ count: 1, in_progress: 1, drop_off_count: 0 });
      const hits = async () =>
        (await metrics.registry.getSingleMetricAsString('analytics_cache_requests_total')).match(
          /result="hit"} (\d+)/,
        )?.[1];
      const before = Number((await hits()) ?? 0);
      await funnel();
      expect(Number(await hits())).toBe(before + 1);
    } finally {
      await feeder.stop();
      redis.disconnect();
    }
  });
});
