import { readFunnelData } from '../../projections/funnel/funnelRead';
import {
  type SessionScope,
  type StageRow,
  type Totals,
} from '../../projections/sessionSummary/funnelQueries';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { minutes, pct } from './rates';
import { recommend } from './recommendations';

/** What the funnel needs of the read model: totals and one row per flow step. */
export type FunnelData = Readonly<{ totals: Totals; stageRows: readonly StageRow[] }>;

/** Time and trouble in a flow step; none for the synthetic started/completed stages. */
const stageStats = (row: StageRow | undefined) => ({
  median_time_in_stage_seconds: row?.medianSeconds ?? null,
  p90_time_in_stage_seconds: row?.p90Seconds ?? null,
  errors: row?.errors ?? 0,
  upload_rejections: row?.uploadRejections ?? 0,
  rate_limit_hits: row?.rateLimitHits ?? 0,
});

/**
 * The stages of a funnel (services/analytics/README.md, "Definitions"): `count` of a stage is the
 * sessions that reached it or beyond; `drop_off_count` the sessions that ended (cancelled or
 * abandoned) with it as their furthest stage; `in_progress` those still running there. So
 * count − next count = drop_off_count + in_progress, and `completed` has neither.
 */
export const funnelStages = (steps: readonly string[], { totals, stageRows }: FunnelData) => {
  const counts = [totals.total, ...stageRows.map((s) => s.reached), totals.completed];
  const dropped = [totals.droppedAtStart, ...stageRows.map((s) => s.droppedHere), 0];
  const running = [totals.inProgressAtStart, ...stageRows.map((s) => s.inProgressHere), 0];
  return ['started', ...steps, 'completed'].map((stage, i) => {
    const count = counts[i] ?? 0;
    const dropOff = dropped[i] ?? 0;
    return {
      stage,
      count,
      conversion_rate: pct(count, counts[0] ?? 0),
      step_conversion_rate: i === 0 ? 100 : pct(count, counts[i - 1] ?? 0),
      drop_off_count: dropOff,
      drop_off_rate: pct(dropOff, count),
      in_progress: running[i] ?? 0,
      ...stageStats(i >= 1 ? stageRows[i - 1] : undefined),
    };
  });
};

/** The five stages that lost the most sessions, with exactly the stages' own drop-off counts. */
export const topDropOffPoints = (
  stages: readonly Readonly<{ stage: string; drop_off_count: number }>[],
) => {
  const dropped = stages
    .filter((s) => s.drop_off_count > 0)
    .map((s) => ({ stage: s.stage, count: s.drop_off_count }));
  const droppedTotal = dropped.reduce((sum, d) => sum + d.count, 0);
  return dropped
    .sort((a, b) => b.count - a.count)
    .slice(0, 5)
    .map((d) => ({ ...d, share_of_drop_offs: pct(d.count, droppedTotal) }));
};

/** The funnel body from its data: pure, so the definition is unit-testable without a database. */
export const funnelBody = (steps: readonly string[], data: FunnelData) => {
  const { totals } = data;
  const stages = funnelStages(steps, data);
  return {
    total_sessions: totals.total,
    completed_sessions: totals.completed,
    in_progress_sessions: stages.reduce((sum, s) => sum + s.in_progress, 0),
    overall_conversion_rate: pct(totals.completed, totals.total),
    avg_completion_time_minutes: minutes(totals.avgSeconds),
    median_completion_time_minutes: minutes(totals.medianSeconds),
    stages,
    top_drop_off_points: topDropOffPoints(stages),
    recommendations: recommend({ steps, stages: data.stageRows, totals }),
  };
};

/** The cumulative funnel of one flow over a period: stages started, the flow's steps, completed. */
export const buildFunnel = async (
  sql: SqlExecutor,
  funnelTable: string,
  scope: SessionScope,
  steps: readonly string[],
) => {
  // The funnel read model's day rows, plus the partial days' summaries (B8: no per-request scan
  // of the whole period).
  const data = await readFunnelData(sql, funnelTable, scope, steps.length);
  return { ...data, body: funnelBody(steps, data) };
};
