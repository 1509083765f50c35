import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { createMetrics } from '../../infra/observability/metrics';
import { createRedisRateLimiter } from '../../infra/rateLimit/redisRateLimiter';
import type { RateDecision, RateLimiter } from '../../infra/rateLimit/rateLimiter';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { bearer, buildTestApp } from '../support/apiHarness';
import { startPrivateRedis } from '../support/privateRedis';
import { uniqueName } from '../support/uniqueName';

const base = '/api/v1/onboarding';
const resetMs = 1_000;
type Decision = RateDecision & { at: number; critical: boolean };
type Outcome = { ms: number; status: number; critical: boolean };

/** Records every decision the limiter makes, with its time, for the timeline checks. */
const recording = (limiter: RateLimiter, log: Decision[]): RateLimiter => ({
  consume: async (key, policy, critical) => {
    const d = await limiter.consume(key, policy, critical);
    log.push({ ...d, at: Date.now(), critical });
    return d;
  },
  breakerState: () => limiter.breakerState(),
});

/**
 * Redis paused, frozen and shut down (then restarted) while the API serves a steady mix of
 * reads (standard) and session starts (critical). Every answer must be a correct decision
 * within 100 ms for ≥ 99.9% of requests; no critical request may pass on anything but Redis;
 * after Redis returns, decisions are Redis-backed again within the breaker reset + 1 s.
 */
describe('rate limiting under load while Redis fails', () => {
  it('pause, kill -STOP and SHUTDOWN/restart: fast correct decisions, fail closed, quick recovery', async () => {
    const server = await startPrivateRedis();
    const redis = createRedis(server.url, 50);
    redis.on('error', () => undefined);
    await redisReady(redis, 3_000);
    const log: Decision[] = [];
    const limiter = createRedisRateLimiter(
      redis,
      {
        keyPrefix: uniqueName('rl'),
        breakerThreshold: 5,
        breakerResetMs: resetMs,
        fallbackPerHour: 1_000_000,
      },
      createMetrics(undefined, false),
    );
    const { app } = buildTestApp(createInMemoryEventStore(), { limiter: recording(limiter, log) });
    const http = app.listen(0);
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}${base}`;
    const users = await Promise.all(
      Array.from({ length: 40 }, (_, i) => bearer('user', 'tenant-a', `load-${i}`)),
    );
    const sessions: string[] = [];
    for (const auth of users) {
      const res = await fetch(`${url}/conversation/start/`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: '{}',
      });
      sessions.push(((await res.json()) as { conversation_id: string }).conversation_id);
    }

    const outcomes: Outcome[] = [];
    let running = true;
    const worker = async (w: number) => {
      for (let i = w; running; i += 1) {
        const u = i % users.length;
        const critical = i % 5 === 0;
        const t = performance.now();
        const res = critical
          ? await fetch(`${url}/conversation/start/`, {
              method: 'POST',
              headers: { Authorization: users[u] ?? '', 'Content-Type': 'application/json' },
              body: '{}',
            })
          : await fetch(`${url}/sessions/${sessions[u] ?? ''}/`, {
              headers: { Authorization: users[u] ?? '' },
            });
        await res.arrayBuffer();
        outcomes.push({ ms: performance.now() - t, status: res.status, critical });
        await sleep(2);
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    const backOnRedis = async (since: number) => {
      for (;;) {
        const found = log.find((d) => d.at >= since && d.source === 'redis');
        if (found) return found.at - since;
        if (Date.now() - since > resetMs + 3_000) return Number.POSITIVE_INFINITY;
        await sleep(20);
      }
    };
    const admin = () => {
      const a = createRedis(server.url, 1_000);
      a.on('error', () => undefined);
      return a;
    };
    const recovery: Record<string, number> = {};
    const fault = async (
      name: string,
      inject: () => Promise<void>,
      restore: () => Promise<void>,
    ) => {
      await sleep(700);
      await inject();
      await sleep(2_000);
      await restore();
      recovery[name] = await backOnRedis(Date.now());
    };
    try {
      await fault(
        'CLIENT PAUSE',
        async () => {
          const a = admin();
          await redisReady(a, 1_000);
          await a.call('CLIENT', 'PAUSE', '2000', 'ALL');
          a.disconnect();
        },
        () => sleep(50),
      );
      await fault(
        'kill -STOP',
        () => Promise.resolve(void process.kill(server.pid(), 'SIGSTOP')),
        () => Promise.resolve(void process.kill(server.pid(), 'SIGCONT')),
      );
      await fault('SHUTDOWN', server.shutdown, server.restart);
      await sleep(500);
    } finally {
      running = false;
      await Promise.all(workers);
      http.close();
      redis.disconnect();
      server.stop();
    }

    const correct = (o: Outcome) =>
      o.critical ? [200, 201, 409, 429, 503].includes(o.status) : [200, 429].includes(o.status);
    const good = outcomes.filter((o) => correct(o) && o.ms < 100).length;
    expect(outcomes.length).toBeGreaterThan(1_000);
    expect(good / outcomes.length).toBeGreaterThanOrEqual(0.999);
    expect(log.filter((d) => d.critical && d.allowed && d.source !== 'redis')).toEqual([]);
    expect(log.some((d) => d.source === 'unavailable')).toBe(true);
    expect(log.some((d) => d.source === 'fallback')).toBe(true);
    for (const [name, ms] of Object.entries(recovery)) {
      expect({ name, ok: ms <= resetMs + 1_000 }).toEqual({ name, ok: true });
    }
  });
});
