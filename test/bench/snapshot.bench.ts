import { randomUUID } from 'node:crypto';
import type { OnboardingEvent } from '../../events/onboarding/events';
import { fold, type SessionState } from '../../events/onboarding/state';
import { onboardingStream } from '../../events/streamNames';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { createPgSnapshotStore } from '../../infra/snapshots/pgSnapshotStore';
import { createRedisSnapshotStore } from '../../infra/snapshots/redisSnapshotStore';
import { createRestorer } from '../../services/recovery/restoreSession';
import { createSnapshotter } from '../../services/recovery/snapshotter';
import { at, sessionStarted } from '../support/builders/onboarding';
import { createBenchDatabase } from './lib/benchDatabase';
import { pgbenchLatencies, redisBenchmarkP99 } from './lib/baselines';
import { run } from './lib/processes';
import { describeLoop, startLoopMonitor } from './lib/loopMonitor';
import { median, percentile, report } from './lib/report';

/**
 * bench:snapshot (B7). Checkpoint write = one snapshot to Redis (SET … EX) and PostgreSQL (insert)
 * at once, p99 over BENCH_WRITES sequential writes, against redis-benchmark SET p99 and pgbench
 * upsert p99 (same payload size) from the same run. Restore = snapshot + a 20-event tail against
 * a full replay, for sessions of 1,000 and 10,000 events (median of BENCH_RESTORES each).
 */
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const writes = Number(process.env.BENCH_WRITES ?? 3_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const restores = Number(process.env.BENCH_RESTORES ?? 30);
const metadata = { correlationId: 'bench', tenantId: 'tenant-a', actor: 'bench' };

/** A long session: questions asked and answered, an error now and then, a checkpoint every 500. */
const longSession = (sessionId: string, length: number): OnboardingEvent[] => {
  const events: OnboardingEvent[] = [
    sessionStarted({ sessionId }),
    { type: 'StepEntered', data: { step: 'information_collection', stepIndex: 0, at: at(1) } },
  ];
  for (let i = events.length; i < length; i += 1) {
    const t = at(i);
    const step = 'information_collection';
    if (i % 500 === 0)
      events.push({
        type: 'CheckpointSaved',
        data: {
          checkpointVersion: i / 500,
          checkpointHash: `h${i}`,
          clientState: 'in_progress',
          dataVersion: 1,
          data: null,
          sizeBytes: 100,
          at: t,
        },
      });
    else if (i % 97 === 0)
      events.push({
        type: 'ErrorOccurred',
        data: { step, category: 'network', code: 'e', retryable: true, at: t },
      });
    else if (i % 2 === 0)
      events.push({ type: 'QuestionAsked', data: { step, questionId: `q${i % 300}`, at: t } });
    else
      events.push({
        type: 'QuestionAnswered',
        data: { step, questionId: `q${i % 300}`, answerLength: 12, answer: null, at: t },
      });
  }
  return events;
};

/** pgbench upserting the same payload into a one-row-per-session table, one client, 5 s. */
const pgbenchUpsertP99 = async (url: string, payload: string): Promise<number> => {
  await run('psql', [
    url,
    '-qc',
    'CREATE TABLE IF NOT EXISTS bench_upsert (session_id int PRIMARY KEY, state jsonb NOT NULL)',
  ]);
  const script = `\\set id random(1, 1000)\nINSERT INTO bench_upsert (session_id, state) VALUES (:id, '${payload.replace(/'/g, "''")}'::jsonb) ON CONFLICT (session_id) DO UPDATE SET state = EXCLUDED.state;\n`;
  return percentile(await pgbenchLatencies(url, script, ['-T', '5']), 99);
};

const timeIt = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

type Tiers = Parameters<typeof createSnapshotter>[0];

/** Sequential checkpoint writes (both tiers at once) over 1,000 sessions: p99 in ms. */
const measureWrites = async (tiers: Tiers, sample: SessionState): Promise<number> => {
  const snapshotter = createSnapshotter(tiers, () => new Date());
  const sessions = Array.from({ length: 1000 }, () => randomUUID());
  const latencies: number[] = [];
  const monitor = startLoopMonitor();
  for (let i = 0; i < writes; i += 1) {
    const state = { ...sample, sessionId: sessions[i % 1000] ?? '', checkpointVersion: i + 1 };
    latencies.push(await timeIt(() => snapshotter.take(state, i)));
  }
  console.log(`  during the writes: ${describeLoop(monitor.stop())}`);
  return percentile(latencies, 99);
};

/** Median restore times of one session of `length` events: full replay vs snapshot + tail. */
const measureRestore = async (
  deps: { store: ReturnType<typeof createMessageDbEventStore>; tiers: Tiers },
  length: number,
) => {
  const id = randomUUID();
  const events = longSession(id, length);
  for (let from = 0; from < length; from += 500) {
    const batch = events
      .slice(from, from + 500)
      .map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data, metadata }));
    await deps.store.appendToStream(onboardingStream(id), batch, { expectedVersion: from - 1 });
  }
  const tail = 20;
  const partial = fold(events.slice(0, length - tail)) as SessionState;
  await createSnapshotter(deps.tiers, () => new Date()).take(partial, length - tail - 1);
  const full = createRestorer({ eventStore: deps.store, tiers: [] });
  const fast = createRestorer({ eventStore: deps.store, tiers: deps.tiers });
  if (JSON.stringify((await fast(id)).state) !== JSON.stringify(fold(events)))
    throw new Error('restore differs from replay');
  const replayMs: number[] = [];
  const snapshotMs: number[] = [];
  for (let r = 0; r < restores; r += 1) {
    replayMs.push(await timeIt(() => full(id)));
    snapshotMs.push(await timeIt(() => fast(id)));
  }
  const result = { replay: median(replayMs), snapshot: median(snapshotMs), tail };
  console.log(
    `${length} events: full replay ${result.replay.toFixed(2)} ms, snapshot + ${tail}-event tail ${result.snapshot.toFixed(2)} ms`,
  );
  return result;
};

const main = async () => {
  // One core for this process, as the other benches: the services keep the other.
  await run('taskset', ['-cp', '0', String(process.pid)]).catch(() => undefined);
  const db = await createBenchDatabase('waymark_bench_snapshot');
  const redis = createRedis(redisUrl, 1_000);
  await redisReady(redis, 3_000);
  const tiers = [
    { name: 'redis', store: createRedisSnapshotStore(redis, 3600) },
    { name: 'postgresql', store: createPgSnapshotStore(db.sql) },
  ];
  const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
  // The state of a long session (its newest 50 checkpoints retained) is the written payload.
  const sample = fold(longSession(randomUUID(), 20_000)) as SessionState;
  const payloadBytes = Buffer.byteLength(JSON.stringify({ state: sample }));
  // Rounds interleave the three measurements; the ratio reported is the median round's.
  const writeRounds: { write: number; set: number; upsert: number }[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const round = {
      write: await measureWrites(tiers, sample),
      set: await redisBenchmarkP99(redisUrl, [
        '-n',
        '50000',
        '-d',
        String(payloadBytes),
        '-t',
        'set',
      ]),
      upsert: await pgbenchUpsertP99(db.url, JSON.stringify(sample)),
    };
    writeRounds.push(round);
    console.log(
      `round ${r + 1}: snapshot write p99 ${round.write.toFixed(3)} ms (payload ${payloadBytes} B); redis-benchmark SET p99 ${round.set.toFixed(3)} ms; pgbench upsert p99 ${round.upsert.toFixed(3)} ms`,
    );
  }
  const small = await measureRestore({ store, tiers }, 1_000);
  const large = await measureRestore({ store, tiers }, 10_000);
  redis.disconnect();
  await db.drop();
  report(
    'snapshot',
    { writes, writeRounds, payloadBytes, restore: { 1000: small, 10000: large } },
    {
      'full replay ÷ snapshot restore, 1,000 events': {
        value: small.replay / small.snapshot,
        goal: 'for reference',
      },
      'full replay ÷ snapshot restore, 10,000 events': {
        value: large.replay / large.snapshot,
        goal: '>= 20',
      },
      'checkpoint write p99 ÷ max(redis SET p99, pg upsert p99)': {
        value: median(writeRounds.map((r) => r.write / Math.max(r.set, r.upsert))),
        goal: '<= 1.5',
      },
    },
  );
};

void main();
