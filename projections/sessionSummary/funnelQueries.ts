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

/**
 * Per flow step: sessions that reached it (cumulative: furthest step at or beyond; a completed
 * session has reached every step, also those its log skipped), sessions that ended there (the
 * drop-off) or are still running there, time in the step, and the errors, upload rejections and
 * rate-limit refusals in it. Time in a step runs from first reaching it to the first time a later
 * step was reached after it, or to completion when no later step was; otherwise it has no time.
 */
const stagesSelect = `
     WITH sec AS (
       SELECT i, f.f, s.dropped, s.running, t.secs, t.errs, t.rejects, t.limited
         FROM s CROSS JOIN generate_series(0, $5::int - 1) AS i
         CROSS JOIN LATERAL (SELECT CASE WHEN s.status = 'completed' THEN $5::int - 1
                                         ELSE s.furthest_step_index END AS f) f
         CROSS JOIN LATERAL (
           SELECT (s.stages->'reachedAt'->>i)::timestamptz AS reached_at) r
         CROSS JOIN LATERAL (
           SELECT extract(epoch FROM coalesce(
                    (SELECT min(v::timestamptz)
                       FROM jsonb_array_elements_text(s.stages->'reachedAt') WITH ORDINALITY AS a(v, o)
                      WHERE o - 1 > i AND v::timestamptz > r.reached_at),
                    CASE WHEN s.status = 'completed' THEN s.ended_at END)
                  - r.reached_at) AS secs,
                  coalesce((s.stages->'errors'->>i)::int, 0) AS errs,
                  coalesce((s.stages->'uploadRejections'->>i)::int, 0) AS rejects,
                  coalesce((s.stages->'rateLimitHits'->>i)::int, 0) AS limited) t),
     pooled AS (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) AS m FROM sec)
     SELECT i AS index,
            count(*) FILTER (WHERE f >= i) AS reached,
            count(*) FILTER (WHERE f = i AND dropped) AS dropped_here,
            count(*) FILTER (WHERE f = i AND running) AS in_progress_here,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) AS median_s,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY secs) AS p90_s,
            count(secs) AS timed,
            count(*) FILTER (WHERE secs > pooled.m) AS above_pooled_median,
            max(pooled.m) AS pooled_median_s,
            coalesce(sum(errs), 0) AS errors,
            coalesce(sum(rejects), 0) AS upload_rejections,
            count(*) FILTER (WHERE f = i AND dropped AND errs > 0) AS dropped_with_errors,
            count(*) FILTER (WHERE f >= i AND errs > 0) AS reached_with_errors,
            count(*) FILTER (WHERE f = i AND dropped AND rejects > 0) AS dropped_with_rejections,
            count(*) FILTER (WHERE f >= i AND rejects > 0) AS reached_with_rejections,
            coalesce(sum(limited), 0) AS rate_limit_hits,
            count(*) FILTER (WHERE f = i AND dropped AND limited > 0) AS dropped_with_rate_limits,
            count(*) FILTER (WHERE f >= i AND limited > 0) AS reached_with_rate_limits
       FROM sec CROSS JOIN pooled
      GROUP BY i ORDER BY i`;

const toStage = (r: Record<string, string | number | null>): StageRow => ({
  index: Number(r.index),
  reached: Number(r.reached),
  droppedHere: Number(r.dropped_here),
  inProgressHere: Number(r.in_progress_here),
  medianSeconds: r.median_s === null ? null : Number(r.median_s),
  p90Seconds: r.p90_s === null ? null : Number(r.p90_s),
  timed: Number(r.timed),
  abovePooledMedian: Number(r.above_pooled_median),
  pooledMedianSeconds: r.pooled_median_s === null ? null : Number(r.pooled_median_s),
  errors: Number(r.errors),
  uploadRejections: Number(r.upload_rejections),
  droppedWithErrors: Number(r.dropped_with_errors),
  reachedWithErrors: Number(r.reached_with_errors),
  droppedWithRejections: Number(r.dropped_with_rejections),
  reachedWithRejections: Number(r.reached_with_rejections),
  rateLimitHits: Number(r.rate_limit_hits),
  droppedWithRateLimits: Number(r.dropped_with_rate_limits),
  reachedWithRateLimits: Number(r.reached_with_rate_limits),
});

/**
 * Totals and stages in one statement: the period's sessions are read once (a second scan of the
 * same rows was a third of the funnel's time in B8).
 */
export const funnelSnapshot = async (sql: SqlExecutor, scope: SessionScope, steps: number) => {
  const { cte, params } = scoped(scope);
  const [row] = await sql.query<{ totals: TotalsRow; stages: Record<string, number | null>[] }>(
    `${cte}, tot AS (${totalsSelect}), st AS (${stagesSelect})
     SELECT (SELECT to_jsonb(tot) FROM tot) AS totals,
            (SELECT coalesce(jsonb_agg(to_jsonb(st) ORDER BY st.index), '[]'::jsonb) FROM st) AS stages`,
    [...params, steps],
  );
  return { totals: toTotals(row?.totals), stageRows: (row?.stages ?? []).map(toStage) };
};

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

/** Dropped sessions by the time bucket of their last activity × the stage they dropped at. */
export const dropOffMatrix = async (
  sql: SqlExecutor,
  scope: SessionScope,
  granularity: 'hour' | 'day' | 'week',
) => {
  const { cte, params } = scoped(scope);
  const rows = await sql.query<{ bucket: Date | string; stage: number; n: string }>(
    `${cte} SELECT date_trunc('${granularity}', last_activity_at) AS bucket, furthest_step_index AS stage, count(*) AS n
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
