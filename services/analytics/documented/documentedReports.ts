import type { Principal } from '../../../infra/auth/jwt';
import {
  recentErrorSessions,
  startsByBucket,
} from '../../../projections/sessionSummary/documentedQueries';
import { readDropOffCells } from '../../../projections/heatmap/dropOffRead';
import { AppError } from '../../shared/appError';
import {
  cohortReport,
  comparisonReport,
  funnelReport,
  heatmapReport,
  recommendationsReport,
} from '../funnelReports';
import { cohortTrendsReport, realtimeReport, realtimeWindow } from '../dashboardReports';
import { cacheKey, scopeFor, type AnalyticsDeps, type ScopeQuery } from '../scope';
import { cohortView } from './cohortView';
import { funnelView } from './funnelView';
import { heatmapView, type Granularity } from './heatmapView';
import { periodComparison } from './periodComparison';
import { realtimeView } from './realtimeView';
import { recommendationsView } from './recommendationsView';

/**
 * The reports in the documented shapes (seed-spec §3): each runs Waymark's report unchanged and
 * adds the documented fields from real data; the mapping lives here, not in the computation.
 */
export const documentedFunnel = async (deps: AnalyticsDeps, who: Principal, q: ScopeQuery) => {
  const { abandoned_sessions: abandoned, ...body } = await funnelReport(deps, who, q);
  return funnelView(body, abandoned);
};

export const documentedRecommendations = async (
  deps: AnalyticsDeps,
  who: Principal,
  q: ScopeQuery & Readonly<{ min_confidence: number }>,
) => recommendationsView(await recommendationsReport(deps, who, q));

const units = { hourly: 'hour', daily: 'day', weekly: 'week' } as const;

/** Both heatmaps default to the last 7 days (documented), not the analytics' 30. */
export const documentedHeatmap = async (
  deps: AnalyticsDeps,
  who: Principal,
  query: ScopeQuery & Readonly<{ granularity: Granularity }>,
) => {
  // Ends now like every default period (not at the minute): a session started a second ago is in
  // it once projected; the cache reuses the answer while no projection moved.
  const q = { ...query, default_days: 7 };
  const body = await heatmapReport(deps, who, q);
  const scoped = scopeFor(deps, who, q);
  const { scope } = scoped;
  const unit = units[q.granularity];
  const [starts, hourly] = await Promise.all([
    deps.cached('heatmap-starts', cacheKey('heatmap-starts', scoped, unit), () =>
      startsByBucket(deps.sql, scope, unit),
    ),
    deps.cached('drop-off-heatmap', cacheKey('drop-off-heatmap', scoped, 'hour'), () =>
      readDropOffCells(deps.sql, deps.dropOffTable, scope, 'hour'),
    ),
  ]);
  return heatmapView(body, starts, hourly);
};

type CohortBy = 'client' | 'conversation_type' | 'flow' | 'language' | 'channel' | 'start_week';

export const documentedCohorts = async (
  deps: AnalyticsDeps,
  who: Principal,
  q: ScopeQuery & Readonly<{ cohort_by: CohortBy }>,
) => {
  // The documented `conversation_type` is what Waymark calls the flow.
  const by = q.cohort_by === 'conversation_type' ? 'flow' : q.cohort_by;
  const body = await cohortReport(deps, who, { ...q, cohort_by: by });
  return { ...cohortView(body), cohort_by: q.cohort_by };
};

export const documentedRealtime = async (
  deps: AnalyticsDeps,
  who: Principal,
  q: Readonly<{ time_range_hours: number; client_id?: string | undefined }>,
) => {
  const window = realtimeWindow(deps, who, q);
  const { tenantId, since } = window;
  // The report's window activity serves the documented average too (one read, not two).
  const [{ body, activity }, errorSessions] = await Promise.all([
    realtimeReport(deps, q, window),
    recentErrorSessions(deps.sql, { table: deps.table, tenantId, since, limit: 20 }),
  ]);
  return realtimeView(body, { avgCompletionSeconds: activity.avgCompletionSeconds, errorSessions });
};

type ComparisonQuery = Readonly<{
  end_date?: Date | undefined;
  period_days: number;
  client_id?: string | undefined;
  flow_id: string;
  period1_start?: Date | undefined;
  period1_end?: Date | undefined;
  period2_start?: Date | undefined;
  period2_end?: Date | undefined;
}>;

const explicitPeriods = (q: ComparisonQuery) => {
  const names = ['period1_start', 'period1_end', 'period2_start', 'period2_end'] as const;
  const given = names.filter((n) => q[n] !== undefined);
  if (given.length === 0) return null;
  const missing = names.filter((n) => q[n] === undefined);
  if (missing.length > 0 || q.end_date !== undefined) {
    const fieldErrors = Object.fromEntries(
      missing.map((n) => [n, ['required with the other period bounds']]),
    );
    if (q.end_date !== undefined)
      fieldErrors.end_date = ['give either end_date/period_days or the four period bounds'];
    throw new AppError('invalid', 'validation_error', 'the query is not valid', { fieldErrors });
  }
  return {
    period1: { start: q.period1_start as Date, end: q.period1_end as Date },
    period2: { start: q.period2_start as Date, end: q.period2_end as Date },
  };
};

/**
 * `analytics/comparison/`: the documented form (period1_start/end, period2_start/end) or
 * Waymark's (end_date + period_days: this period against the one before, as period1/period2).
 */
export const documentedComparison = async (
  deps: AnalyticsDeps,
  who: Principal,
  q: ComparisonQuery,
) => {
  const explicit = explicitPeriods(q);
  if (explicit !== null) {
    const doc = await periodComparison(deps, who, { ...q, ...explicit });
    return {
      period1: doc.period1,
      period2: doc.period2,
      comparison: doc.comparison,
      trend: doc.documented_trend,
      statistical_significance: doc.statistical_significance,
      flow_id: doc.flow_id,
      last_updated: deps.clock().toISOString(),
    };
  }
  const body = await comparisonReport(deps, who, q);
  const range = (p: { start_date: string; end_date: string }) => ({
    start: new Date(p.start_date),
    end: new Date(p.end_date),
  });
  const doc = await periodComparison(deps, who, {
    ...q,
    period1: range(body.current_period),
    period2: range(body.previous_period),
  });
  return {
    ...body,
    period1: doc.period1,
    period2: doc.period2,
    comparison: doc.comparison,
    statistical_significance: doc.statistical_significance,
  };
};

/** The end of a cohort that starts at `start` (date_trunc buckets: a day, a week, a month). */
const cohortEnd = (start: string, type: 'daily' | 'weekly' | 'monthly') => {
  const d = new Date(start);
  if (type === 'monthly') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCDate(d.getUTCDate() + (type === 'daily' ? 1 : 7));
  return d.toISOString();
};

/** `dashboard/cohort-trends/` with each cohort's documented `end_date` (start + its length). */
export const documentedCohortTrends = async (
  deps: AnalyticsDeps,
  who: Principal,
  q: Parameters<typeof cohortTrendsReport>[2],
) => {
  const body = await cohortTrendsReport(deps, who, q);
  return {
    ...body,
    cohorts: body.cohorts.map((c) => ({
      ...c,
      end_date: cohortEnd(c.start_date, q.cohort_type),
    })),
  };
};
