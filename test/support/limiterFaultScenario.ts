import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { createMetrics } from '../../infra/observability/metrics';
import { createRedisRateLimiter } from '../../infra/rateLimit/redisRateLimiter';
import type { RateDecision, RateLimiter } from '../../infra/rateLimit/rateLimiter';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { bearer, buildTestApp } from './apiHarness';
import { startPrivateRedis } from './privateRedis';
import { uniqueName } from './uniqueName';

const base = '/api/v1/onboarding';
export const faultResetMs = 1_000;

export type LimiterDecision = RateDecision & { at: number; critical: boolean };
export type LimiterOutcome = { ms: number; status: number; critical: boolean };
export type FaultName = 'CLIENT PAUSE' | 'kill -STOP' | 'SHUTDOWN';

export type FaultScenarioResult = Readonly<{
  outcomes: LimiterOutcome[];
  log: LimiterDecision[];
  /** Per fault, ms from the fault's end to the first Redis-backed decision (Infinity: never). */
  recovery: Partial<Record<FaultName, number>>;
}>;

/** Records every decision the limiter makes, with its time, for the timeline checks. */
const recording = (limiter: RateLimiter, log: LimiterDecision[]): RateLimiter => ({
  consume: async (key, policy, critical) => {
    const d = await limiter.consume(key, policy, critical);
    log.push({ ...d, at: Date.now(), critical });
    return d;
  },
  breakerState: () => limiter.breakerState(),
});

/**
 * R2: the API serves a steady mix of reads (standard) and session starts (critical) with four
 * workers while a Redis of its own is paused, frozen and shut down (then restarted), one fault
 * after the other (`faults: false`: the same load and duration on a healthy Redis, the
 * benchmark's baseline). The Redis is private (test/support/privateRedis.ts): the machine's Redis
 * is never touched. The integration test asserts what must hold (correct answers, no critical
 * request allowed by anything but Redis, back on Redis); test/bench/limiterFaults.bench.ts
 * reports the latencies.
 */
export const runLimiterFaultScenario = async (
  options: Readonly<{ faults: boolean; recoveryDeadlineMs: number }>,
): Promise<FaultScenarioResult> => {
  const server = await startPrivateRedis();
  const redis = createRedis(server.url, 50);
  redis.on('error', () => undefined);
  await redisReady(redis, 10_000);
  const log: LimiterDecision[] = [];
  const limiter = createRedisRateLimiter(
    redis,
    {
      keyPrefix: uniqueName('rl'),
      breakerThreshold: 5,
      breakerResetMs: faultResetMs,
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

  const outcomes: LimiterOutcome[] = [];
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
  /** Waits (polling the decision log) for the first Redis-backed decision after `since`. */
  const backOnRedis = async (since: number) => {
    for (;;) {
      const found = log.find((d) => d.at >= since && d.source === 'redis');
      if (found) return found.at - since;
      if (Date.now() - since > options.recoveryDeadlineMs) return Number.POSITIVE_INFINITY;
      await sleep(20);
    }
  };
  const admin = () => {
    const a = createRedis(server.url, 1_000);
    a.on('error', () => undefined);
    return a;
  };
  const recovery: Partial<Record<FaultName, number>> = {};
  const fault = async (
    name: FaultName,
    inject: () => Promise<void>,
    restore: () => Promise<void>,
  ) => {
    await sleep(700);
    if (options.faults) await inject();
    await sleep(2_000);
    if (options.faults) await restore();
    recovery[name] = await backOnRedis(Date.now());
  };
  try {
    await fault(
      'CLIENT PAUSE',
      async () => {
        const a = admin();
        await redisReady(a, 10_000);
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
  return { outcomes, log, recovery };
};

/** A correct answer: critical requests may be refused (429/503) but never fail otherwise. */
export const correctOutcome = (o: LimiterOutcome): boolean =>
  o.critical ? [200, 201, 409, 429, 503].includes(o.status) : [200, 429].includes(o.status);
