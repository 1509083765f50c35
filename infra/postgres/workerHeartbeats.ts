import type { SqlExecutor } from './sqlClient';

/** Records that `worker` (relay, projector, detector) instance `instance` is alive now. */
export const recordHeartbeat = async (sql: SqlExecutor, worker: string, instance: string) => {
  await sql.query(
    `INSERT INTO waymark.worker_heartbeats (worker, instance, beat_at) VALUES ($1, $2, now())
     ON CONFLICT (worker, instance) DO UPDATE SET beat_at = now()`,
    [worker, instance],
  );
};

/** The freshest heartbeat of each worker, with its age in seconds by the database's clock. */
export const latestHeartbeats = async (sql: SqlExecutor) =>
  new Map(
    (
      await sql.query<{ worker: string; beat_at: Date | string; age_s: number | string }>(
        `SELECT worker, max(beat_at) AS beat_at,
                extract(epoch FROM now() - max(beat_at))::float8 AS age_s
           FROM waymark.worker_heartbeats GROUP BY worker`,
      )
    ).map((r) => [
      r.worker,
      { beatAt: new Date(r.beat_at).toISOString(), ageSeconds: Number(r.age_s) },
    ]),
  );
