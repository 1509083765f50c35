import { loadConfig } from '../../infra/config/loadConfig';
import { createMetrics } from '../../infra/observability/metrics';
import { createRedisRateLimiter } from '../../infra/rateLimit/redisRateLimiter';
import { connectRedis, redisReady } from '../../infra/redis/createRedis';
import { createRedisUploadQuota } from '../../infra/uploads/redisUploadQuota';
import { startPrivateRedisCluster } from '../support/privateRedisCluster';
import { uniqueName } from '../support/uniqueName';

/** REDIS_CLUSTER_NODES: the quota's Lua scripts and the limiter run on a real Redis Cluster. */
describe('Redis Cluster', () => {
  it('runs upload-quota scripts (no CROSSSLOT) and the rate limiter on a three-master cluster', async () => {
    const cluster = await startPrivateRedisCluster();
    const config = loadConfig({
      REDIS_URL: 'redis://127.0.0.1',
      REDIS_COMMAND_TIMEOUT_MS: '1000',
      REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(','),
    });
    const redis = connectRedis({ ...config.redis, url: config.redis.url ?? '' });
    redis.on('error', () => undefined);
    try {
      expect(await redisReady(redis, 10_000)).toBe(true);
      const quota = createRedisUploadQuota(redis, {
        ...config.uploads,
        keyPrefix: uniqueName('uq'),
      });
      // Many tenants, so the keys spread over the masters' slots, each request within one.
      for (let t = 0; t < 20; t += 1) {
        const request = {
          reservationId: `r${t}`,
          sessionId: `s${t}`,
          tenantId: `tenant-${t}`,
          userKey: `tenant-${t}:u`,
          photos: 1,
          documents: 0,
          bytes: 100,
        };
        expect((await quota.reserve(request)).ok).toBe(true);
        await quota.commit(request, { photos: 1, documents: 0, bytes: 100 });
        expect(await quota.usage(request.tenantId, request.sessionId)).toEqual({
          photos: 1,
          documents: 0,
          bytes: 100,
        });
      }
      const limiter = createRedisRateLimiter(
        redis,
        { ...config.rateLimit, keyPrefix: uniqueName('rl') },
        createMetrics(undefined, false),
      );
      const policy = { name: 'standard', points: 3, durationSeconds: 60 };
      const decisions = [];
      for (let i = 0; i < 4; i += 1) decisions.push(await limiter.consume('t:u:r', policy, true));
      expect(decisions.map((d) => [d.allowed, d.source])).toEqual([
        [true, 'redis'],
        [true, 'redis'],
        [true, 'redis'],
        [false, 'redis'],
      ]);
    } finally {
      redis.disconnect();
      cluster.stop();
    }
  });
});
