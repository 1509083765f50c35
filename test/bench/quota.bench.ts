import { loadConfig } from '../../infra/config/loadConfig';
import { randomUUID } from 'node:crypto';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { createRedisUploadQuota } from '../../infra/uploads/redisUploadQuota';
import type { QuotaRequest } from '../../infra/uploads/uploadQuota';
import { redisBenchmarkP99 } from './lib/baselines';
import { run } from './lib/processes';
import { describeLoop, startLoopMonitor, type LoopReport } from './lib/loopMonitor';
import { median, percentile, report } from './lib/report';

/**
 * bench:quota — the upload quota check (one reserve: one EVALSHA of the reservation script) p99
 * against raw Redis INCRBY p99 measured in the same run, both one request at a time:
 * redis-benchmark (C client, -c 1) is the baseline; ioredis INCRBY from this process is printed
 * too, to separate the script's cost from the client's. Env: REDIS_URL, BENCH_CALLS (20,000),
 * BENCH_ROUNDS (3).
 */
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const calls = Number(process.env.BENCH_CALLS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const main = async () => {
  await run('taskset', ['-cp', '0', String(process.pid)]).catch(() => undefined);
  const redis = createRedis(url, 1_000);
  await redisReady(redis, 3_000);
  const prefix = `bench-uq-${randomUUID().slice(0, 8)}`;
  // The documented defaults; the reservations below never reach them.
  const { limits } = loadConfig({}).uploads;
  const quota = createRedisUploadQuota(redis, { keyPrefix: prefix, limits, keepSeconds: 600 });

  const quotaP99 = async () => {
    const latencies: number[] = [];
    for (let i = 0; i < calls; i += 1) {
      // 1,000 sessions and users; each reservation released untimed so limits never trip.
      const ask: QuotaRequest = {
        reservationId: randomUUID(),
        sessionId: `s${i % 1000}`,
        tenantId: 't',
        userKey: `t:u${i % 1000}`,
        photos: 1,
        documents: 0,
        bytes: 2_000_000,
      };
      const start = performance.now();
      const decision = await quota.reserve(ask);
      latencies.push(performance.now() - start);
      if (!decision.ok) throw new Error(`unexpected rejection: ${decision.reason}`);
      await quota.release(ask);
    }
    return percentile(latencies, 99);
  };
  const ioredisP99 = async () => {
    const latencies: number[] = [];
    for (let i = 0; i < calls; i += 1) {
      const start = performance.now();
      await redis.incrby(`${prefix}:incr:${i % 1000}`, 1);
      latencies.push(performance.now() - start);
    }
    return percentile(latencies, 99);
  };
  const results: { quota: number; ioredis: number; redisBenchmark: number; loop: LoopReport }[] =
    [];
  for (let r = 0; r < rounds; r += 1) {
    const monitor = startLoopMonitor();
    const q = await quotaP99();
    const loop = monitor.stop();
    const io = await ioredisP99();
    const rb = await redisBenchmarkP99(url, ['-n', String(calls), 'INCRBY', `${prefix}:rb`, '1']);
    console.log(
      `round ${r + 1}: quota reserve p99 ${q.toFixed(3)} ms, ioredis INCRBY p99 ${io.toFixed(3)} ms, redis-benchmark INCRBY p99 ${rb.toFixed(3)} ms`,
    );
    console.log(`  during the quota calls: ${describeLoop(loop)}`);
    results.push({ quota: q, ioredis: io, redisBenchmark: rb, loop });
  }
  redis.disconnect();
  report(
    'quota',
    { calls, results },
    {
      'quota check p99 ÷ ioredis INCRBY p99 (same client)': {
        value: median(results.map((r) => r.quota / r.ioredis)),
        goal: 'for reference',
      },
      'quota check p99 ÷ redis-benchmark INCRBY p99': {
        value: median(results.map((r) => r.quota / r.redisBenchmark)),
        goal: '<= 2',
      },
    },
  );
};

void main();
