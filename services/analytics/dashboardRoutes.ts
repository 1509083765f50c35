import { Router } from 'express';
import {
  activeByStage,
  startCohorts,
  windowActivity,
} from '../../projections/sessionSummary/activityQueries';
import { buildFunnel } from './funnel';
import { adminOf, scopeOf } from '../shared/tenantScope';
import { scopeFor, type AnalyticsDeps } from './scope';
import { cohortTrendsQuery, overviewQuery } from './schemas';
import { validate } from '../api/http/validate';
import { heatmapHandler } from './routes';

const pct = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((10_000 * part) / whole) / 100;

/** The original's trend rules: first against last cohort; ±0.05 conversion, ±10 % volume. */
const trends = (cohorts: readonly { total: number; completed: number }[]) => {
  const [first, last] = [cohorts[0], cohorts.at(-1)];
  if (!first || !last || cohorts.length < 2)
    return {
      conversion_trend: 'insufficient_data',
      conversion_change: null,
      volume_trend: 'insufficient_data',
      volume_change_percent: null,
    };
  const rate = (c: { total: number; completed: number }) =>
    c.total === 0 ? 0 : c.completed / c.total;
  const conversion = rate(last) - rate(first);
  const volume = first.total === 0 ? null : (100 * (last.total - first.total)) / first.total;
  return {
    conversion_trend: conversion > 0.05 ? 'improving' : conversion < -0.05 ? 'declining' : 'stable',
    conversion_change: Math.round(conversion * 10_000) / 10_000,
    volume_trend:
      volume === null
        ? 'insufficient_data'
        : volume > 10
          ? 'growing'
          : volume < -10
            ? 'shrinking'
            : 'stable',
    volume_change_percent: volume === null ? null : Math.round(volume * 100) / 100,
  };
};

/** Dashboard: overview (cached under dashboard:overview:{client_id}:{hours}), heatmap, cohort trends. */
export const createDashboardRoutes = (deps: AnalyticsDeps): Router => {
  const router = Router();

  router.get('/dashboard/overview/', async (req, res) => {
    const q = validate(overviewQuery, req.query, 'query');
    const { tenantId } = scopeOf(adminOf(res), q.client_id);
    const { scope, flow, time_range } = scopeFor(deps, res, {
      flow_id: q.flow_id,
      ...(q.client_id ? { client_id: q.client_id } : {}),
      start_date: new Date(deps.clock().getTime() - q.time_range_hours * 3_600_000),
    });
    const key = `dashboard:overview:${tenantId ?? 'all'}:${q.time_range_hours}:${flow.id}`;
    const body = await deps.cached('dashboard-overview', key, async () => {
      const [activity, byStage, funnel, atRisk] = await Promise.all([
        windowActivity(deps.sql, deps.table, tenantId, scope.from),
        activeByStage(deps.sql, deps.table, tenantId, scope.from),
        buildFunnel(deps.sql, scope, flow.steps),
        deps.atRisk?.(tenantId) ?? null,
      ]);
      return {
        overview: {
          total_sessions: activity.started,
          active_sessions: activity.active,
          completed_sessions: activity.completed,
          conversion_rate: pct(activity.completed, activity.started),
          avg_completion_time_minutes:
            activity.avgCompletionSeconds === null
              ? null
              : Math.round(activity.avgCompletionSeconds / 0.6) / 100,
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
          hours: q.time_range_hours,
        },
      };
    });
    res.json({ ...body, last_updated: deps.clock().toISOString() });
  });

  router.get('/dashboard/heatmap/', heatmapHandler(deps));

  router.get('/dashboard/cohort-trends/', async (req, res) => {
    const q = validate(cohortTrendsQuery, req.query, 'query');
    const { scope, time_range } = scopeFor(deps, res, q);
    const unit = ({ daily: 'day', weekly: 'week', monthly: 'month' } as const)[q.cohort_type];
    const cohorts = await startCohorts(deps.sql, deps.table, {
      tenantId: scope.tenantId,
      from: scope.from,
      to: scope.to,
      unit,
    });
    res.json({
      cohorts: cohorts.map((c) => ({
        cohort_label: c.start.slice(0, 10),
        start_date: c.start,
        total_sessions: c.total,
        completed_sessions: c.completed,
        conversion_rate: c.total === 0 ? 0 : Math.round((10_000 * c.completed) / c.total) / 10_000,
        avg_completion_time_minutes:
          c.avgCompletionSeconds === null ? null : Math.round(c.avgCompletionSeconds / 0.6) / 100,
      })),
      trends: trends(cohorts),
      cohort_type: q.cohort_type,
      period: time_range,
      last_updated: deps.clock().toISOString(),
    });
  });

  return router;
};
