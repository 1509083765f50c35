import type { Principal } from '../../infra/auth/jwt';
import { readStartCohorts } from '../../projections/funnel/startCohortRead';
import { activeByStage, windowActivity } from '../../projections/sessionSummary/activityQueries';
import { requireAdmin, scopeOf } from '../shared/tenantScope';
import { cohortTrends } from './cohortTrends';
import { buildFunnel } from './funnel';
import { minutes, pct } from './rates';
import { scopeFor, type AnalyticsDeps } from './scope';

type RealtimeQuery = Readonly<{ time_range_hours: number; client_id?: string | undefined }>;

/** The tenant and the start of the realtime window (one clock read for every part of a response). */
export const realtimeWindow = (deps: AnalyticsDeps, who: Principal, q: RealtimeQuery) => ({
  tenantId: scopeOf(requireAdmin(who), q.client_id).tenantId,
  since: new Date(deps.clock().getTime() - q.time_range_hours * 3_600_000),
});

/**
 * What is happening now: activity in the last hours, sessions by stage, at-risk sessions. Also
 * returns the window's `activity`, so the documented view reuses it instead of reading it again.
 */
export const realtimeReport = async (
  deps: AnalyticsDeps,
  q: RealtimeQuery,
  { tenantId, since }: ReturnType<typeof realtimeWindow>,
) => {
  const [activity, byStage, atRisk] = await Promise.all([
    windowActivity(deps.sql, deps.table, tenantId, since),
    activeByStage(deps.sql, deps.table, tenantId, since),
    deps.atRisk?.(tenantId) ?? null,
  ]);
  const body = {
    time_range_hours: q.time_range_hours,
    active_sessions: activity.active,
    started_sessions: activity.started,
    completed_sessions: activity.completed,
    sessions_by_stage: byStage,
    recent_errors: activity.errors,
    // Active sessions scored high or critical right now (null when risk scoring is off).
    at_risk_sessions: atRisk?.count ?? null,
    at_risk_top: atRisk?.top ?? [],
    last_updated: deps.clock().toISOString(),
  };
  return { body, activity };
};

type OverviewQuery = Readonly<{
  time_range_hours?: number | undefined;
  client_id?: string | undefined;
  flow_id: string;
}>;

/** The dashboard overview, cached under dashboard:overview:{client_id}:{hours}:{flow}. */
export const overviewReport = async (deps: AnalyticsDeps, who: Principal, q: OverviewQuery) => {
  const { tenantId } = scopeOf(requireAdmin(who), q.client_id);
  const hours = q.time_range_hours ?? deps.defaultTimeRangeHours;
  const { scope, flow, time_range } = scopeFor(deps, who, {
    flow_id: q.flow_id,
    client_id: q.client_id,
    start_date: new Date(deps.clock().getTime() - hours * 3_600_000),
  });
  const key = `dashboard:overview:${tenantId ?? 'all'}:${hours}:${flow.id}`;
  const body = await deps.cached(
    'dashboard-overview',
    key,
    async () => {
      const [activity, byStage, funnel, atRisk] = await Promise.all([
        windowActivity(deps.sql, deps.table, tenantId, scope.from),
        activeByStage(deps.sql, deps.table, tenantId, scope.from),
        buildFunnel(deps.sql, deps.funnelTable, scope, flow.steps),
        deps.atRisk?.(tenantId) ?? null,
      ]);
      return {
        overview: {
          total_sessions: activity.started,
          active_sessions: activity.active,
          completed_sessions: activity.completed,
          conversion_rate: pct(activity.completed, activity.started),
          avg_completion_time_minutes: minutes(activity.avgCompletionSeconds),
        },
        funnel: {
          stages: funnel.body.stages.map((s) => ({
            name: s.stage,
            count: s.count,
            conversion_rate: s.conversion_rate,
            drop_off_rate: s.drop_off_rate,
          })),
          top_drop_offs: funnel.body.top_drop_off_points.slice(0, 3),
        },
        active_by_stage: byStage,
        recovery: {
          checkpoints_created: activity.checkpoints,
          sessions_resumed: activity.resumed,
          at_risk_count: atRisk?.count ?? null,
          at_risk_sessions: atRisk?.top ?? [],
        },
        recommendations: funnel.body.recommendations.slice(0, 3),
        time_range: {
          start: time_range.start_date,
          end: time_range.end_date,
          hours,
        },
      };
    },
    true,
  );
  return { ...body, last_updated: deps.clock().toISOString() };
};

/** Cohorts by start day, week or month and how conversion and volume moved between them. */
export const cohortTrendsReport = async (
  deps: AnalyticsDeps,
  who: Principal,
  q: Parameters<typeof scopeFor>[2] & Readonly<{ cohort_type: 'daily' | 'weekly' | 'monthly' }>,
) => {
  const { scope, time_range } = scopeFor(deps, who, q);
  const unit = ({ daily: 'day', weekly: 'week', monthly: 'month' } as const)[q.cohort_type];
  const cohorts = await readStartCohorts(
    deps.sql,
    { funnelTable: deps.funnelTable, summaryTable: deps.table },
    { tenantId: scope.tenantId, from: scope.from, to: scope.to, unit },
  );
  return {
    cohorts: cohorts.map((c) => ({
      cohort_label: c.start.slice(0, 10),
      start_date: c.start,
      total_sessions: c.total,
      completed_sessions: c.completed,
      conversion_rate: pct(c.completed, c.total),
      avg_completion_time_minutes: minutes(c.avgCompletionSeconds),
    })),
    trends: cohortTrends(cohorts),
    cohort_type: q.cohort_type,
    period: time_range,
    last_updated: deps.clock().toISOString(),
  };
};
