import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import type { FunnelFacts } from '../funnel/funnelCounts';

/** Which sessions an analytics query covers: by tenant (null = all), flow and start time. */
export type SessionScope = Readonly<{
  table: string;
  tenantId: string | null;
  flowId: string;
  from: Date;
  to: Date;
}>;

const scoped = (scope: SessionScope) => ({
  cte: `WITH s AS (
    SELECT status, started_at, ended_at, last_activity_at, furthest_step_index, stages,
           client_id, flow_id, language, channel,
           -- Dropped = ended without completing (services/analytics/README.md, "Definitions");
           -- an active session is in progress however long it has been idle.
           status IN ('cancelled', 'abandoned') AS dropped,
           status = 'active' AS running
      FROM ${scope.table}
     WHERE ($1::text IS NULL OR tenant_id = $1) AND flow_id = $2
       AND started_at >= $3 AND started_at < $4)`,
  params: [scope.tenantId, scope.flowId, scope.from.toISOString(), scope.to.toISOString()],
});

export type Totals = Readonly<{
  total: number;
  completed: number;
  avgSeconds: number | null;
  medianSeconds: number | null;
  /** Sessions that never entered a step and ended (the drop-off of stage "started"). */
  droppedAtStart: number;
  /** Sessions still running that never entered a step (in progress at stage "started"). */
  inProgressAtStart: number;
}>;

const totalsSelect = `SELECT count(*) AS total,
            count(*) FILTER (WHERE status = 'completed') AS completed,
            avg(extract(epoch FROM ended_at - started_at)) FILTER (WHERE status = 'completed')::float8 AS avg_s,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - started_at))
              FILTER (WHERE status = 'completed') AS median_s,
            count(*) FILTER (WHERE furthest_step_index < 0 AND dropped) AS dropped_at_start,
            count(*) FILTER (WHERE furthest_step_index < 0 AND running) AS in_progress_at_start
       FROM s`;

type TotalsRow = Record<
  'total' | 'completed' | 'dropped_at_start' | 'in_progress_at_start',
  string | number
> &
  Record<'avg_s' | 'median_s', number | null>;

const emptyTotals: TotalsRow = {
  total: 0,
  completed: 0,
  dropped_at_start: 0,
  in_progress_at_start: 0,
  avg_s: null,
  median_s: null,
};

const toTotals = (row: TotalsRow | undefined): Totals => {
  const r = row ?? emptyTotals;
  return {
    total: Number(r.total),
    completed: Number(r.completed),
    avgSeconds: r.avg_s,
    medianSeconds: r.median_s,
    droppedAtStart: Number(r.dropped_at_start),
    inProgressAtStart: Number(r.in_progress_at_start),
  };
};

export const funnelTotals = async (sql: SqlExecutor, scope: SessionScope): Promise<Totals> => {
  const { cte, params } = scoped(scope);
  return toTotals((await sql.query<TotalsRow>(`${cte} ${totalsSelect}`, params))[0]);
};

export type StageRow = Readonly<{
  index: number;
  reached: number;
  droppedHere: number;
  /** Sessions still running whose furthest step is this one. */
  inProgressHere: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** Sessions with a time in this step, and how many of them took longer than the median time
   * over every step (Mood's median test for the slowest step). */
  timed: number;
  abovePooledMedian: number;
  pooledMedianSeconds: number | null;
  errors: number;
  uploadRejections: number;
  droppedWithErrors: number;
  reachedWithErrors: number;
  droppedWithRejections: number;
  reachedWithRejections: number;
  rateLimitHits: number;
  droppedWithRateLimits: number;
  reachedWithRateLimits: number;
}>;

export const cohortColumns = {
  client: 'client_id',
  flow: 'flow_id',
  language: 'language',
  channel: 'channel',
  start_week: "to_char(date_trunc('week', started_at), 'YYYY-MM-DD')",
} as const;

/** Conversion per cohort (sessions, completed) for one cohort attribute. */
export const cohortConversion = async (
  sql: SqlExecutor,
  scope: SessionScope,
  by: keyof typeof cohortColumns,
) => {
  const { cte, params } = scoped(scope);
  const rows = await sql.query<{ cohort: string | null; total: string; completed: string }>(
    `${cte} SELECT ${cohortColumns[by]} AS cohort, count(*) AS total,
            count(*) FILTER (WHERE status = 'completed') AS completed
       FROM s GROUP BY 1 ORDER BY 1`,
    params,
  );
  return rows.map((r) => ({
    cohort: r.cohort ?? 'unknown',
    total: Number(r.total),
    completed: Number(r.completed),
  }));
};

/** Dropped sessions by the UTC time bucket of their last activity × the stage they dropped at. */
export const dropOffMatrix = async (
  sql: SqlExecutor,
  scope: SessionScope,
  granularity: 'hour' | 'day' | 'week',
) => {
  const { cte, params } = scoped(scope);
  const rows = await sql.query<{ bucket: Date | string; stage: number; n: string }>(
    `${cte} SELECT date_trunc('${granularity}', last_activity_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket,
            furthest_step_index AS stage, count(*) AS n
       FROM s WHERE dropped GROUP BY 1, 2 ORDER BY 1, 2`,
    params,
  );
  return rows.map((r) => ({
    bucket: new Date(r.bucket).toISOString(),
    stage: Number(r.stage),
    count: Number(r.n),
  }));
};

/** What the funnel read model needs of each session in scope (the period's partial days). */
export const sessionFunnelFacts = async (sql: SqlExecutor, scope: SessionScope) => {
  const rows = await sql.query<{
    status: FunnelFacts['status'];
    started_at: Date | string;
    ended_at: Date | string | null;
    furthest_step_index: number;
    stages: FunnelFacts['stages'];
    client_id: string | null;
    language: string | null;
    channel: string | null;
  }>(
    `SELECT status, started_at, ended_at, furthest_step_index, stages, client_id, language, channel
       FROM ${scope.table}
      WHERE ($1::text IS NULL OR tenant_id = $1) AND flow_id = $2
        AND started_at >= $3 AND started_at < $4`,
    [scope.tenantId, scope.flowId, scope.from.toISOString(), scope.to.toISOString()],
  );
  const iso = (v: Date | string) => new Date(v).toISOString();
  return rows.map((r): FunnelFacts => ({
    status: r.status,
    startedAt: iso(r.started_at),
    endedAt: r.ended_at === null ? null : iso(r.ended_at),
    furthestStepIndex: Number(r.furthest_step_index),
    stages: { ...r.stages, rateLimitHits: r.stages.rateLimitHits ?? r.stages.errors.map(() => 0) },
    clientId: r.client_id,
    language: r.language,
    channel: r.channel,
  }));
};
