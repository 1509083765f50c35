import { createLogger } from '../../../infra/observability/logger';
import { createMetrics } from '../../../infra/observability/metrics';
import type { SqlClient } from '../../../infra/postgres/sqlClient';
import type { Wait } from '../../../services/detector/detectorLoop';
import { liveRiskTables } from '../../../services/risk/rescore';
import { startRiskRescoreLoop } from '../../../services/risk/rescoreLoop';

/** Each wait stays pending until the test releases it (no wall clock). */
const steppedWait = () => {
  const calls: { ms: number; release: () => void }[] = [];
  const wait: Wait = (ms, signal) =>
    new Promise<void>((resolve) => {
      calls.push({ ms, release: resolve });
      signal.addEventListener('abort', () => resolve());
    });
  return { wait, calls };
};

const settle = async () => {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

/** A database that records the tick's reads (the stale page) and answers an empty page. */
const recordingSql = (fail: () => boolean) => {
  const reads: unknown[][] = [];
  const sql = {
    query: (text: string, params: readonly unknown[] = []) => {
      if (fail()) return Promise.reject(new Error('database down'));
      if (text.includes('scored_at <')) reads.push([...params]);
      return Promise.resolve([]);
    },
  } as unknown as SqlClient;
  return { sql, reads };
};

const loopOver = (sql: SqlClient, wait: Wait, isLeader: () => boolean, now: number) =>
  startRiskRescoreLoop(
    {
      sql,
      scorer: () => Promise.reject(new Error('no row to score')),
      tables: liveRiskTables,
      metrics: createMetrics(),
      clock: () => new Date(now),
      intervalMs: 60_000,
      pageSize: 100,
    },
    createLogger('silent'),
    isLeader,
    wait,
  );

describe('the risk tick loop', () => {
  it('reads the rows scored an interval before its clock, then waits an interval', async () => {
    const now = Date.parse('2026-05-04T12:00:00.000Z');
    const { sql, reads } = recordingSql(() => false);
    const { wait, calls } = steppedWait();
    const loop = loopOver(sql, wait, () => true, now);
    await settle();
    expect(reads).toEqual([[new Date(now - 60_000).toISOString(), 100, null, null]]);
    expect(calls.map((c) => c.ms)).toEqual([60_000]);
    calls[0]?.release();
    await settle();
    expect(reads).toHaveLength(2);
    await loop.stop();
  });

  it('ticks only while it holds the lease, and a failed pass is retried on the next', async () => {
    let leader = false;
    let down = true;
    const { sql, reads } = recordingSql(() => down);
    const { wait, calls } = steppedWait();
    const loop = loopOver(sql, wait, () => leader, 0);
    await settle();
    // A standby looks again within a second, without touching the database.
    expect({ reads: reads.length, waits: calls.map((c) => c.ms) }).toEqual({
      reads: 0,
      waits: [1_000],
    });
    leader = true;
    calls[0]?.release();
    await settle();
    expect(reads).toHaveLength(0);
    expect(calls.map((c) => c.ms)).toEqual([1_000, 60_000]);
    down = false;
    calls[1]?.release();
    await settle();
    expect(reads).toHaveLength(1);
    await loop.stop();
  });
});
