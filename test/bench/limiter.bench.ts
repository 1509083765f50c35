import { randomUUID } from 'node:crypto';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createMetrics } from '../../infra/observability/metrics';
import type { RatePolicy } from '../../infra/rateLimit/rateLimiter';
import { createRedisRateLimiter } from '../../infra/rateLimit/redisRateLimiter';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { run } from './lib/processes';
import { describeLoop, startLoopMonitor } from './lib/loopMonitor';
import { median, percentile, report } from './lib/report';

/**
 * B3: (1) limiter decisions per second (our Redis limiter with its breaker, 16 concurrent callers)
 * against redis-benchmark running the very same Lua script with EVALSHA and 16 clients;
 * (2) the latency the limiter adds to a request, at a fixed request rate (BENCH_RATE, 2,000/s)
 * measured per call. Env: REDIS_URL, BENCH_SECONDS (10), BENCH_ROUNDS (3).
 */
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const policy: RatePolicy = { name: 'bench', points: 1_000_000_000, durationSeconds: 300 };

const main = async () => {
  await run('taskset', ['-cp', '0', String(process.pid)]).catch(() => undefined);
  const redis = createRedis(url, 100);
  await redisReady(redis, 3000);
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const limiter = createRedisRateLimiter(
    redis,
    { keyPrefix: prefix, breakerThreshold: 5, breakerResetMs: 60_000, fallbackPerHour: 50 },
    createMetrics(undefined, false),
  );
  const script = (
    new RateLimiterRedis({ storeClient: redis, points: 1, duration: 1 }) as unknown as {
      _incrTtlLuaScript: string;
    }
  )._incrTtlLuaScript;
  const sha = String(await redis.script('LOAD', script));
  const u = new URL(url);

  const nodeRate = async () => {
    let n = 0;
    const end = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (Date.now() < end) {
          await limiter.consume('bench:user:resource', policy, false);
          n += 1;
        }
      }),
    );
    return n / seconds;
  };
  const redisBenchmark = async () => {
    const out = await run('taskset', [
      '-c',
      '1',
      'redis-benchmark',
      '-h',
      u.hostname,
      '-p',
      u.port || '6379',
      '-c',
      '16',
      '-n',
      String(20_000 * seconds),
      '-q',
      'EVALSHA',
      sha,
      '1',
      `${prefix}:bench:rb`,
      '1',
      '300',
      '1000000000',
      '300',
    ]);
    const match = /([\d.]+) requests per second/.exec(out);
    if (!match) throw new Error(`cannot parse redis-benchmark output: ${out}`);
    return Number(match[1]);
  };
  const pairs: { node: number; redis: number }[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const node = await nodeRate();
    const rb = await redisBenchmark();
    console.log(
      `round ${r + 1}: limiter ${node.toFixed(0)} decisions/s, redis-benchmark EVALSHA ${rb.toFixed(0)} req/s`,
    );
    pairs.push({ node, redis: rb });
  }
  // The limiter runs once per HTTP request, so it is measured at a request rate: BENCH_RATE
  // (default 2,000/s, about what one API process sustains in B1), capped at half its own maximum.
  const rate = Math.min(
    Number(process.env.BENCH_RATE ?? 2000),
    Math.round(median(pairs.map((p) => p.node)) / 2),
  );
  const latencies: number[] = [];
  const monitor = startLoopMonitor();
  const interval = 1000 / rate;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < rate * 5; i += 1) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // Measured from the actual call: the pacing timer's own jitter is not the limiter's latency.
    const sent = performance.now();
    pending.push(
      limiter
        .consume(`bench:user:${i % 1000}`, policy, false)
        .then(() => void latencies.push(performance.now() - sent)),
    );
  }
  await Promise.all(pending);
  const loop = monitor.stop();
  console.log(`during the paced run: ${describeLoop(loop)}`);
  console.log(
    `at ${rate} decisions/s: p50 ${percentile(latencies, 50).toFixed(3)} ms, p99 ${percentile(latencies, 99).toFixed(3)} ms`,
  );
  redis.disconnect();
  report(
    'limiter',
    { pairs, rate, p50: percentile(latencies, 50), p99: percentile(latencies, 99), loop },
    {
      'B3 limiter decisions/s ÷ redis-benchmark EVALSHA': {
        value: median(pairs.map((p) => p.node / p.redis)),
        goal: '>= 0.5',
      },
      'B3 added p99 latency (ms)': { value: percentile(latencies, 99), goal: '<= 1.0' },
      'B3 added p50 latency (ms)': { value: percentile(latencies, 50), goal: '<= 0.25' },
    },
  );
};

void main();
