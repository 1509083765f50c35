import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { createMetrics } from '../../infra/observability/metrics';
import { createRedisRateLimiter } from '../../infra/rateLimit/redisRateLimiter';
import type { RatePolicy } from '../../infra/rateLimit/rateLimiter';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { startPrivateRedis } from '../support/privateRedis';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

const policy: RatePolicy = { name: 'standard', points: 100, durationSeconds: 60 };
const settings = (resetMs: number) => ({
  keyPrefix: uniqueName('rl'),
  breakerThreshold: 5,
  breakerResetMs: resetMs,
  fallbackPerHour: 3,
});

describe('Redis rate limiter with circuit breaker (real Redis)', () => {
  const clients: Redis[] = [];
  const client = (url = testEnv.redisUrl) => {
    const redis = createRedis(url, 100);
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  };
  const servers: Awaited<ReturnType<typeof startPrivateRedis>>[] = [];
  afterAll(() => {
    clients.forEach((c) => c.disconnect());
    servers.forEach((s) => s.stop());
  });

  it('shares one atomic counter between processes: 100 allowed, then denied', async () => {
    const s = settings(1000);
    const [ra, rb] = [client(), client()];
    await Promise.all([redisReady(ra, 2000), redisReady(rb, 2000)]);
    const [a, b] = [
      createRedisRateLimiter(ra, s, createMetrics(undefined, false)),
      createRedisRateLimiter(rb, s, createMetrics(undefined, false)),
    ];
    const decisions = await Promise.all(
      Array.from({ length: 110 }, (_, i) => (i % 2 ? a : b).consume('t:u:r', policy, false)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(100);
    expect(decisions.every((d) => d.source === 'redis')).toBe(true);
  });

  /** Polls a condition until it holds or a generous deadline passes (a wait, not a measurement). */
  const eventually = async (what: string, check: () => Promise<boolean> | boolean) => {
    const deadline = Date.now() + 30_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within 30 s`);
      await sleep(25);
    }
  };

  it('opens after 5 failures: critical fails closed, others use the in-memory fallback; half-open probes again', async () => {
    const metrics = createMetrics(undefined, false);
    const limiter = createRedisRateLimiter(client('redis://127.0.0.1:1'), settings(300), metrics);
    for (let i = 0; i < 5; i += 1)
      expect((await limiter.consume('t:u:start', policy, true)).source).toBe('unavailable');
    expect(limiter.breakerState()).toBe('open');
    expect((await metrics.rateLimiterBreakerOpen.get()).values[0]?.value).toBe(1);
    // How fast an open breaker answers is measured by the limiter benchmark, not asserted here.
    const critical = await limiter.consume('t:u:start', policy, true);
    expect(critical).toMatchObject({ allowed: false, source: 'unavailable' });
    const fallback = await Promise.all(
      [1, 2, 3, 4].map(() => limiter.consume('t:u:read', policy, false)),
    );
    expect(fallback.map((d) => [d.allowed, d.source])).toEqual([
      [true, 'fallback'],
      [true, 'fallback'],
      [true, 'fallback'],
      [false, 'fallback'],
    ]);
    await eventually(
      'half-open after the reset timeout',
      () => limiter.breakerState() === 'half-open',
    );
    await limiter.consume('t:u:start', policy, true);
    expect(limiter.breakerState()).toBe('open');
  });

  // The faults below are injected into a Redis of the test's own: never the machine's Redis.
  const faulted = async (key: string) => {
    const server = await startPrivateRedis();
    servers.push(server);
    const [admin, redis] = [client(server.url), client(server.url)];
    await Promise.all([redisReady(admin, 10_000), redisReady(redis, 10_000)]);
    const limiter = createRedisRateLimiter(redis, settings(500), createMetrics(undefined, false));
    expect((await limiter.consume(key, policy, true)).source).toBe('redis');
    return { server, admin, limiter };
  };

  it('while Redis is paused, every decision comes back, no critical request is allowed, and it is back on Redis afterwards', async () => {
    const { admin, limiter } = await faulted('t:u:x');
    await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
    const during: { allowed: boolean; source: string }[] = [];
    for (let i = 0; i < 20; i += 1) {
      const d = await limiter.consume('t:u:x', policy, true);
      during.push({ allowed: d.allowed, source: d.source });
    }
    expect(during).toHaveLength(20);
    expect(during.filter((d) => d.allowed)).toHaveLength(0);
    expect(during.filter((d) => d.source === 'redis')).toHaveLength(0);
    expect(limiter.breakerState()).toBe('open');
    await eventually(
      'back on Redis after the pause',
      async () => (await limiter.consume('t:u:x', policy, true)).source === 'redis',
    );
    expect(limiter.breakerState()).toBe('closed');
  });

  it('survives a frozen Redis (kill -STOP): decisions come back, no critical allowance, recovery after SIGCONT', async () => {
    const { server, limiter } = await faulted('t:u:frozen');
    const during: { allowed: boolean; source: string }[] = [];
    process.kill(server.pid(), 'SIGSTOP');
    try {
      for (let i = 0; i < 20; i += 1) {
        const d = await limiter.consume('t:u:frozen', policy, true);
        during.push({ allowed: d.allowed, source: d.source });
      }
    } finally {
      process.kill(server.pid(), 'SIGCONT');
    }
    expect(during).toHaveLength(20);
    expect(during.filter((d) => d.allowed)).toHaveLength(0);
    expect(during.filter((d) => d.source === 'redis')).toHaveLength(0);
    await eventually(
      'back on Redis after SIGCONT',
      async () => (await limiter.consume('t:u:frozen', policy, true)).source === 'redis',
    );
  });
});
