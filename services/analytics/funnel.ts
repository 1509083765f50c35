import {
  funnelSnapshot,
  type SessionScope,
  type StageRow,
} from '../../projections/sessionSummary/funnelQueries';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { recommend } from './recommendations';

const pct = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((10_000 * part) / whole) / 100;
const minutes = (seconds: number | null) =>
  seconds === null ? null : Math.round(seconds / 0.6) / 100;

const stageView = (
  stage: string,
  i: number,
  counts: readonly number[],
  row: StageRow | undefined,
) => {
  const count = counts[i] ?? 0;
  const next = counts[i + 1];
  return {
    stage,
    count,
    conversion_rate: pct(count, counts[0] ?? 0),
    step_conversion_rate: i === 0 ? 100 : pct(count, counts[i - 1] ?? 0),
    drop_off_count: next === undefined ? 0 : count - next,
    drop_off_rate: next === undefined ? 0 : pct(count - next, count),
    ...stageStats(row),
  };
};

/** Time and trouble in a flow step; none for the synthetic started/completed stages. */
const stageStats = (row: StageRow | undefined) => ({
  median_time_in_stage_seconds: row?.medianSeconds ?? null,
  p90_time_in_stage_seconds: row?.p90Seconds ?? null,
  errors: row?.errors ?? 0,
  upload_rejections: row?.uploadRejections ?? 0,
  rate_limit_hits: row?.rateLimitHits ?? 0,
});

/**
 * The cumulative funnel of one flow: every session counts in each stage it reached (its furthest
 * step at or beyond it). Stages: started, the flow's steps, completed.
 */
export const buildFunnel = async (
  sql: SqlExecutor,
  scope: SessionScope,
  steps: readonly string[],
) => {
  // One statement: the period's rows are read once for the totals and the stages (B8).
  const { totals, stageRows } = await funnelSnapshot(sql, scope, steps.length);
  const droppedAtStart = totals.droppedAtStart;
  const counts = [totals.total, ...stageRows.map((s) => s.reached), totals.completed];
  const names = ['started', ...steps, 'completed'];
  const stages = names.map((stage, i) =>
    stageView(stage, i, counts, i >= 1 ? stageRows[i - 1] : undefined),
  );
  const dropped = [
    { stage: 'started', count: droppedAtStart },
    ...stageRows.map((s) => ({ stage: steps[s.index] ?? '?', count: s.droppedHere })),
  ].filter((d) => d.count > 0);
  const droppedTotal = dropped.reduce((s, d) => s + d.count, 0);
  return {
    totals,
    stageRows,
    body: {
      total_sessions: totals.total,
      completed_sessions: totals.completed,
      overall_conversion_rate: pct(totals.completed, totals.total),
      avg_completion_time_minutes: minutes(totals.avgSeconds),
      median_completion_time_minutes: minutes(totals.medianSeconds),
      stages,
      top_drop_off_points: dropped
        .sort((a, b) => b.count - a.count)
        .slice(0, 5)
        .map((d) => ({ ...d, share_of_drop_offs: pct(d.count, droppedTotal) })),
      recommendations: recommend({ steps, stages: stageRows, totals }),
    },
  };
};
