import type { Principal } from '../../infra/auth/jwt';
import { readDropOffCells } from '../../projections/heatmap/dropOffRead';
import {
  cohortConversion,
  funnelTotals,
  type cohortColumns,
} from '../../projections/sessionSummary/funnelQueries';
import { readCohorts } from '../../projections/funnel/cohortRead';
import { readFunnelData } from '../../projections/funnel/funnelRead';
import { buildFunnel } from './funnel';
import { recommend } from './recommendations';
import { cacheKey, day, scopeFor, type AnalyticsDeps, type ScopeQuery } from './scope';
import { pct, points } from './rates';
import { twoProportionZTest } from './statistics';

const stamped = <B extends object>(deps: AnalyticsDeps, body: B) => ({
  ...body,
  last_updated: deps.clock().toISOString(),
});

/** The cumulative funnel of one flow over a period (services/analytics/README.md). */
export const funnelReport = async (deps: AnalyticsDeps, who: Principal, q: ScopeQuery) => {
  const scoped = scopeFor(deps, who, q);
  const { scope, flow, time_range } = scoped;
  const body = await deps.cached(
    'funnel',
    cacheKey('funnel', scoped),
    async () => {
      const built = await buildFunnel(deps.sql, deps.funnelTable, scope, flow.steps);
      // From the same merged counts as the stages (B8: the endpoint runs only readFunnelData's SQL).
      return { ...built.body, abandoned_sessions: built.abandoned };
    },
    scoped.live,
  );
  return stamped(deps, { ...body, flow_id: flow.id, time_range });
};

/** Recommendations from this period's funnel and the previous period of the same length. */
export const recommendationsReport = async (
  deps: AnalyticsDeps,
  who: Principal,
  q: ScopeQuery & Readonly<{ min_confidence: number }>,
) => {
  const scoped = scopeFor(deps, who, q);
  const { scope, flow, time_range } = scoped;
  const span = scope.to.getTime() - scope.from.getTime();
  const { totals, stageRows, previous } = await deps.cached(
    'recommendations',
    cacheKey('recommendations', scoped),
    async () => ({
      ...(await buildFunnel(deps.sql, deps.funnelTable, scope, flow.steps)),
      previous: await readFunnelData(
        deps.sql,
        deps.funnelTable,
        { ...scope, from: new Date(scope.from.getTime() - span), to: scope.from },
        flow.steps.length,
      ),
    }),
    scoped.live,
  );
  const recommendations = recommend(
    {
      steps: flow.steps,
      stages: stageRows,
      totals,
      previous: previous.totals,
      previousStages: previous.stageRows,
    },
    q.min_confidence,
  );
  return stamped(deps, {
    recommendations,
    total_sessions: totals.total,
    flow_id: flow.id,
    time_range,
  });
};

/** A real matrix: time bucket of the last activity × the stage where sessions dropped. */
export const heatmapReport = async (
  deps: AnalyticsDeps,
  who: Principal,
  q: ScopeQuery & Readonly<{ granularity: 'hourly' | 'daily' | 'weekly' }>,
) => {
  const scoped = scopeFor(deps, who, q);
  const { scope, flow, time_range } = scoped;
  const unit = ({ hourly: 'hour', daily: 'day', weekly: 'week' } as const)[q.granularity];
  const cells = await deps.cached(
    'drop-off-heatmap',
    cacheKey('drop-off-heatmap', scoped, unit),
    () => readDropOffCells(deps.sql, deps.dropOffTable, scope, unit),
    scoped.live,
  );
  const stages = ['started', ...flow.steps];
  const buckets = [...new Set(cells.map((c) => c.bucket))];
  const matrix = buckets.map((b) =>
    stages.map((_, i) => cells.find((c) => c.bucket === b && c.stage === i - 1)?.count ?? 0),
  );
  return stamped(deps, {
    granularity: q.granularity,
    stages,
    buckets,
    matrix,
    flow_id: flow.id,
    time_range,
  });
};

/** Conversion per cohort; best and worst only among cohorts with enough sessions to mean it. */
export const cohortReport = async (
  deps: AnalyticsDeps,
  who: Principal,
  q: ScopeQuery & Readonly<{ cohort_by: keyof typeof cohortColumns }>,
) => {
  const scoped = scopeFor(deps, who, q);
  const { scope, flow, time_range } = scoped;
  const rows = await deps.cached(
    'cohort-comparison',
    cacheKey('cohort-comparison', scoped, q.cohort_by),
    () =>
      q.cohort_by === 'flow'
        ? cohortConversion(deps.sql, scope, q.cohort_by)
        : readCohorts(deps.sql, deps.funnelTable, scope, q.cohort_by),
    scoped.live,
  );
  const cohorts = rows.map((c) => ({
    cohort: c.cohort,
    sessions: c.total,
    completed: c.completed,
    conversion_rate: pct(c.completed, c.total),
  }));
  const ranked = cohorts
    .filter((c) => c.sessions >= 20)
    .sort((a, b) => b.conversion_rate - a.conversion_rate);
  return stamped(deps, {
    cohort_by: q.cohort_by,
    cohorts,
    best_cohort: ranked[0] ?? null,
    worst_cohort: ranked.length > 1 ? ranked.at(-1) : null,
    flow_id: flow.id,
    time_range,
  });
};

const trend = (change: number, significant: boolean) =>
  change === 0 || !significant ? 'stable' : change > 0 ? 'improving' : 'declining';

type ComparisonQuery = Readonly<{
  end_date?: Date | undefined;
  period_days: number;
  client_id?: string | undefined;
  flow_id: string;
}>;

/** This period against the previous one of the same length, with a two-proportion z-test. */
export const comparisonReport = async (deps: AnalyticsDeps, who: Principal, q: ComparisonQuery) => {
  const end = q.end_date ?? deps.clock();
  const span = q.period_days * day;
  const current = scopeFor(deps, who, {
    ...q,
    start_date: new Date(end.getTime() - span),
    end_date: end,
  });
  const previous = scopeFor(deps, who, {
    ...q,
    start_date: new Date(end.getTime() - 2 * span),
    end_date: new Date(end.getTime() - span),
  });
  const [a, b] = await Promise.all([
    funnelTotals(deps.sql, current.scope),
    funnelTotals(deps.sql, previous.scope),
  ]);
  const test = twoProportionZTest(a.completed, a.total, b.completed, b.total);
  const rate = (t: typeof a) => pct(t.completed, t.total);
  // Percentage points; the test's sign decides nothing when the rates are equal.
  const change = points(rate(a), rate(b));
  const significant = test.pValue !== null && test.pValue < 0.05;
  const period = (range: typeof current.time_range, t: typeof a) => ({
    ...range,
    sessions: t.total,
    completed: t.completed,
    conversion_rate: rate(t),
    median_completion_seconds: t.medianSeconds,
  });
  return stamped(deps, {
    current_period: period(current.time_range, a),
    previous_period: period(previous.time_range, b),
    changes: {
      sessions: a.total - b.total,
      conversion_rate: change,
      median_completion_seconds:
        a.medianSeconds === null || b.medianSeconds === null
          ? null
          : a.medianSeconds - b.medianSeconds,
    },
    significance: {
      test: 'two-proportion z-test (pooled, two-sided)',
      z: test.z,
      p_value: test.pValue,
      is_significant: significant,
      confidence_level: 0.95,
    },
    trend: trend(change, significant),
    flow_id: current.flow.id,
  });
};
