import request from 'supertest';
import { loadConfig } from '../../infra/config/loadConfig';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { insertDeadLetters } from '../../infra/postgres/dlqStore';
import { createRedisRateLimiter } from '../../infra/rateLimit/redisRateLimiter';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { createSessionSummaryProjection } from '../../projections/sessionSummary/sessionSummaryProjection';
import { dlqHousekeeping } from '../../services/dlq/housekeeping';
import { createEmbeddedFeeder } from '../../services/projector/embeddedFeeder';
import { buildTestApp } from '../support/apiHarness';
import { deadLetterRow } from '../support/builders/deadLetters';
import { startPrivateRedis } from '../support/privateRedis';
import { alertFiresOn, rulesWith } from '../support/promtool';
import { seedSessions } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { uniqueName } from '../support/uniqueName';

/**
 * The documented failures, driven for real, scraped, and the real alert rules evaluated by
 * promtool on what was scraped: silent before the failure, firing after it.
 */
describe('alerts fire on the failures they document', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('RateLimiterCircuitBreakerOpen: a private Redis becomes unreachable', async () => {
    const redisServer = await startPrivateRedis();
    const redis = createRedis(redisServer.url, 100);
    redis.on('error', () => undefined);
    try {
      await redisReady(redis, 2000);
      const metrics = createMetrics(undefined, false);
      const settings = {
        keyPrefix: uniqueName('rl'),
        breakerThreshold: 5,
        breakerResetMs: 60_000,
        fallbackPerHour: 3,
      };
      const limiter = createRedisRateLimiter(redis, settings, metrics);
      const policy = { name: 'standard', points: 100, durationSeconds: 60 };
      expect((await limiter.consume('t:u:r', policy, true)).source).toBe('redis');
      const alert = 'RateLimiterCircuitBreakerOpen';
      expect(await alertFiresOn(await metrics.registry.metrics(), alert)).toBe(false);
      await redisServer.shutdown();
      for (let i = 0; i < 6; i += 1) await limiter.consume('t:u:r', policy, true);
      expect(limiter.breakerState()).toBe('open');
      expect(await alertFiresOn(await metrics.registry.metrics(), alert)).toBe(true);
    } finally {
      redis.disconnect();
      await redisServer.shutdown().catch(() => undefined);
    }
  });

  it('DLQQueueDepthHigh (threshold lowered to 3): open dead letters count, handled ones do not', async () => {
    const rules = rulesWith('sum(dlq_queue_depth) > 100', 'sum(dlq_queue_depth) > 3');
    const metrics = createMetrics(undefined, false);
    const housekeeping = {
      sql: db.sql,
      metrics,
      logger: createLogger('silent'),
      retentionDays: 30,
      recoveryLogRetentionDays: 30,
    };
    const rows = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => deadLetterRow(from + i));
    await db.sql.transaction((tx) => insertDeadLetters(tx, rows(0, 10), 3));
    // Handled entries are retained, not open: ten of them must not page anyone.
    await db.sql.query(
      `UPDATE waymark.dlq_entries SET status = CASE WHEN source_offset < 5 THEN 'resolved' ELSE 'abandoned' END`,
    );
    await dlqHousekeeping(housekeeping);
    expect(await alertFiresOn(await metrics.registry.metrics(), 'DLQQueueDepthHigh', rules)).toBe(
      false,
    );
    await db.sql.transaction((tx) => insertDeadLetters(tx, rows(100, 4), 3));
    await dlqHousekeeping(housekeeping);
    const scraped = await metrics.registry.metrics();
    expect(scraped).toContain('dlq_queue_depth{status="pending"} 4');
    expect(await alertFiresOn(scraped, 'DLQQueueDepthHigh', rules)).toBe(true);
  });

  it('ProjectorLagHigh: the projector stops while the API keeps accepting events', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const { app } = buildTestApp(store, { sql: db.sql });
    const feeder = createEmbeddedFeeder({
      eventStore: store,
      sql: db.sql,
      projection: createSessionSummaryProjection(),
      logger: createLogger('silent'),
      groupId: loadConfig({}).consumers.projectorGroupId,
      category: 'onboarding',
      intervalMs: 20,
      maxRetries: 1,
    });
    await seedSessions(store, 5);
    await feeder.drain();
    const scrape = async () => (await request(app).get('/metrics').expect(200)).text;
    expect(await alertFiresOn(await scrape(), 'ProjectorLagHigh')).toBe(false);
    // The projector is stopped (nothing feeds): the log grows past the alert's 500 events.
    await seedSessions(store, 130);
    const scraped = await scrape();
    const behind = Number(/read_model_lag_events\{projection="[^"]+"\} (\d+)/.exec(scraped)?.[1]);
    expect(behind).toBeGreaterThan(500);
    expect(await alertFiresOn(scraped, 'ProjectorLagHigh')).toBe(true);
  });
});
