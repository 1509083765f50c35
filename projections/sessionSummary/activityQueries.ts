import type { SqlExecutor } from '../../infra/postgres/sqlClient';

/** What happened in a recent window, across flows: the realtime block and the overview. */
export const windowActivity = async (
  sql: SqlExecutor,
  table: string,
  tenantId: string | null,
  since: Date,
) => {
  const rows = await sql.query<Record<string, string | number | null>>(
    `SELECT count(*) FILTER (WHERE started_at >= $2) AS started,
            count(*) FILTER (WHERE status = 'completed' AND ended_at >= $2) AS completed,
            count(*) FILTER (WHERE status = 'active' AND last_activity_at >= $2) AS active,
            count(*) FILTER (WHERE status IN ('cancelled', 'abandoned') AND ended_at >= $2) AS ended_unfinished,
            avg(extract(epoch FROM ended_at - started_at))
              FILTER (WHERE status = 'completed' AND ended_at >= $2)::float8 AS avg_completion_s,
            coalesce(sum(errors) FILTER (WHERE last_activity_at >= $2), 0) AS errors,
            coalesce(sum(checkpoints) FILTER (WHERE last_activity_at >= $2), 0) AS checkpoints,
            count(*) FILTER (WHERE resumes > 0 AND last_activity_at >= $2) AS resumed
       FROM ${table}
      WHERE ($1::text IS NULL OR tenant_id = $1) AND last_activity_at >= $2`,
    [tenantId, since.toISOString()],
  );
  const r = rows[0] ?? {};
  const n = (k: string) => Number(r[k] ?? 0);
  return {
    started: n('started'),
    completed: n('completed'),
    active: n('active'),
    endedUnfinished: n('ended_unfinished'),
    avgCompletionSeconds:
      r.avg_completion_s === null || r.avg_completion_s === undefined
        ? null
        : Number(r.avg_completion_s),
    errors: n('errors'),
    checkpoints: n('checkpoints'),
    resumed: n('resumed'),
  };
};

/** Active sessions (recent activity) by the step they are in; `started` before the first step. */
export const activeByStage = async (
  sql: SqlExecutor,
  table: string,
  tenantId: string | null,
  since: Date,
) =>
  (
    await sql.query<{ stage: string; n: string }>(
      `SELECT coalesce(current_step, 'started') AS stage, count(*) AS n FROM ${table}
        WHERE ($1::text IS NULL OR tenant_id = $1) AND status = 'active' AND last_activity_at >= $2
        GROUP BY 1 ORDER BY 2 DESC`,
      [tenantId, since.toISOString()],
    )
  ).map((r) => ({ stage: r.stage, count: Number(r.n) }));

/** One cohort's sums: sessions, completed, completion seconds summed over `timed` sessions. */
export type StartCohort = Readonly<{
  start: string;
  total: number;
  completed: number;
  completionSeconds: number;
  timed: number;
}>;

/**
 * Cohorts by UTC start day, week or month: the sums a period's parts add up
 * (projections/funnel/startCohortRead.ts reads whole days from the funnel read model).
 */
export const startCohortSums = async (
  sql: SqlExecutor,
  table: string,
  scope: Readonly<{
    tenantId: string | null;
    from: Date;
    to: Date;
    unit: 'day' | 'week' | 'month';
  }>,
): Promise<StartCohort[]> =>
  (
    await sql.query<{
      cohort: Date | string;
      total: string;
      completed: string;
      sum_s: number | null;
      timed: string;
    }>(
      `SELECT date_trunc('${scope.unit}', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS cohort,
              count(*) AS total,
              count(*) FILTER (WHERE status = 'completed') AS completed,
              sum(extract(epoch FROM ended_at - started_at)) FILTER (WHERE status = 'completed')::float8 AS sum_s,
              count(ended_at) FILTER (WHERE status = 'completed') AS timed
         FROM ${table}
        WHERE ($1::text IS NULL OR tenant_id = $1) AND started_at >= $2 AND started_at < $3
        GROUP BY 1`,
      [scope.tenantId, scope.from.toISOString(), scope.to.toISOString()],
    )
  ).map((r) => ({
    start: new Date(r.cohort).toISOString(),
    total: Number(r.total),
    completed: Number(r.completed),
    completionSeconds: Number(r.sum_s ?? 0),
    timed: Number(r.timed),
  }));
