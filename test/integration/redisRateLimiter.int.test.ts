import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { createMetrics } from '../../infra/observability/metrics';
import { createRedisRateLimiter } from '../../infra/rateLimit/redisRateLimiter';
import type { RatePolicy } from '../../infra/rateLimit/rateLimiter';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
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
  afterAll(() => clients.forEach((c) => c.disconnect()));

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

  it('opens after 5 failures: critical fails closed, others use the in-memory fallback; half-open probes again', async () => {
    const metrics = createMetrics(undefined, false);
    const limiter = createRedisRateLimiter(client('redis://127.0.0.1:1'), settings(300), metrics);
    for (let i = 0; i < 5; i += 1)
      expect((await limiter.consume('t:u:start', policy, true)).source).toBe('unavailable');
    expect(limiter.breakerState()).toBe('open');
    expect((await metrics.rateLimiterBreakerOpen.get()).values[0]?.value).toBe(1);
    const started = Date.now();
    const critical = await limiter.consume('t:u:start', policy, true);
    expect(critical).toMatchObject({ allowed: false, source: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(50);
    const fallback = await Promise.all(
      [1, 2, 3, 4].map(() => limiter.consume('t:u:read', policy, false)),
    );
    expect(fallback.map((d) => [d.allowed, d.source])).toEqual([
      [true, 'fallback'],
      [true, 'fallback'],
      [true, 'fallback'],
      [false, 'fallback'],
    ]);
    await sleep(350);
    expect(limiter.breakerState()).toBe('half-open');
    await limiter.consume('t:u:start', policy, true);
    expect(limiter.breakerState()).toBe('open');
  });

  it('decides within 150 ms while Redis is paused, allows no critical request, and is back on Redis after it returns', async () => {
    const [admin, redis] = [client(), client()];
    await Promise.all([redisReady(admin, 2000), redisReady(redis, 2000)]);
    const limiter = createRedisRateLimiter(redis, settings(500), createMetrics(undefined, false));
    expect((await limiter.consume('t:u:x', policy, true)).source).toBe('redis');
    await admin.call('CLIENT', 'PAUSE', '1500', 'ALL').catch(() => undefined);
    const during: { ms: number; allowed: boolean; source: string }[] = [];
    for (let i = 0; i < 20; i += 1) {
      const t = Date.now();
      const d = await limiter.consume('t:u:x', policy, true);
      during.push({ ms: Date.now() - t, allowed: d.allowed, source: d.source });
    }
    expect(during.every((d) => d.ms < 150)).toBe(true);
    expect(during.filter((d) => d.allowed)).toHaveLength(0);
    expect(limiter.breakerState()).toBe('open');
    await sleep(1600);
    let back = Date.now();
    for (;;) {
      const d = await limiter.consume('t:u:x', policy, true);
      if (d.source === 'redis') break;
      await sleep(50);
      if (Date.now() - back > 1500 + 500)
        throw new Error('not back on Redis within reset timeout + 1 s');
    }
    back = Date.now() - back;
    expect(back).toBeLessThan(1500);
  });

  it('survives a frozen Redis (kill -STOP): fast decisions, no critical allowance, recovery after SIGCONT', async () => {
    const [admin, redis] = [client(), client()];
    await Promise.all([redisReady(admin, 2000), redisReady(redis, 2000)]);
    const info = String(await admin.info('server'));
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    expect(pid).toBeGreaterThan(0);
    const limiter = createRedisRateLimiter(redis, settings(500), createMetrics(undefined, false));
    expect((await limiter.consume('t:u:frozen', policy, true)).source).toBe('redis');
    const during: { ms: number; allowed: boolean }[] = [];
    process.kill(pid, 'SIGSTOP');
    try {
      for (let i = 0; i < 20; i += 1) {
        const t = Date.now();
        const d = await limiter.consume('t:u:frozen', policy, true);
        during.push({ ms: Date.now() - t, allowed: d.allowed });
      }
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(during.every((d) => d.ms < 150)).toBe(true);
    expect(during.filter((d) => d.allowed)).toHaveLength(0);
    const resumed = Date.now();
    for (;;) {
      if ((await limiter.consume('t:u:frozen', policy, true)).source === 'redis') break;
      if (Date.now() - resumed > 500 + 1000)
        throw new Error('not back on Redis within reset timeout + 1 s');
      await sleep(50);
    }
  });
});
