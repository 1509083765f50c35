import { Router, type Request, type Response } from 'express';
import {
  cohortConversion,
  dropOffMatrix,
  funnelTotals,
} from '../../projections/sessionSummary/funnelQueries';
import { buildFunnel } from './funnel';
import { recommend } from './recommendations';
import { twoProportionZTest } from './statistics';
import { cacheKey, day, scopeFor, type AnalyticsDeps } from './scope';
import { adminOf, scopeOf } from '../shared/tenantScope';
import { activeByStage, windowActivity } from '../../projections/sessionSummary/activityQueries';
import {
  cohortQuery,
  comparisonQuery,
  funnelQuery,
  heatmapQuery,
  realtimeQuery,
  recommendationsQuery,
} from './schemas';
import { validate } from '../api/http/validate';

/** A real matrix: time bucket of the last activity × the stage where sessions dropped. */
export const heatmapHandler = (deps: AnalyticsDeps) => async (req: Request, res: Response) => {
  const meta = (extra: object) => ({ ...extra, last_updated: deps.clock().toISOString() });
  const q = validate(heatmapQuery, req.query, 'query');
  const { scope, flow, time_range } = scopeFor(deps, res, q);
  const unit = ({ hourly: 'hour', daily: 'day', weekly: 'week' } as const)[q.granularity];
  const cells = await deps.cached(
    'drop-off-heatmap',
    cacheKey('drop-off-heatmap', scope, unit),
    () => dropOffMatrix(deps.sql, scope, unit),
  );
  const stages = ['started', ...flow.steps];
  const buckets = [...new Set(cells.map((c) => c.bucket))];
  const matrix = buckets.map((b) =>
    stages.map((_, i) => cells.find((c) => c.bucket === b && c.stage === i - 1)?.count ?? 0),
  );
  res.json(
    meta({ granularity: q.granularity, stages, buckets, matrix, flow_id: flow.id, time_range }),
  );
};

const trend = (change: number, significant: boolean) =>
  change === 0 || !significant ? 'stable' : change > 0 ? 'improving' : 'declining';

/** Funnel, recommendations, comparison, cohorts and the drop-off heatmap over the read models. */
export const createAnalyticsRoutes = (deps: AnalyticsDeps): Router => {
  const router = Router();
  const meta = (extra: object) => ({ ...extra, last_updated: deps.clock().toISOString() });

  router.get('/analytics/funnel/', async (req: Request, res: Response) => {
    const { scope, flow, time_range } = scopeFor(
      deps,
      res,
      validate(funnelQuery, req.query, 'query'),
    );
    const body = await deps.cached(
      'funnel',
      cacheKey('funnel', scope),
      async () => (await buildFunnel(deps.sql, scope, flow.steps)).body,
    );
    res.json(meta({ ...body, flow_id: flow.id, time_range }));
  });

  router.get('/analytics/recommendations/', async (req, res) => {
    const q = validate(recommendationsQuery, req.query, 'query');
    const { scope, flow, time_range } = scopeFor(deps, res, q);
    // This period's funnel and the previous period of the same length (for the period change),
    // computed and cached together.
    const span = scope.to.getTime() - scope.from.getTime();
    const { totals, stageRows, previous } = await deps.cached(
      'recommendations',
      cacheKey('recommendations', scope),
      async () => ({
        ...(await buildFunnel(deps.sql, scope, flow.steps)),
        previous: await funnelTotals(deps.sql, {
          ...scope,
          from: new Date(scope.from.getTime() - span),
          to: scope.from,
        }),
      }),
    );
    const recommendations = recommend(
      { steps: flow.steps, stages: stageRows, totals, previous },
      q.min_confidence,
    );
    res.json(meta({ recommendations, total_sessions: totals.total, flow_id: flow.id, time_range }));
  });

  router.get('/analytics/drop-off-heatmap/', heatmapHandler(deps));

  router.get('/analytics/cohort-comparison/', async (req, res) => {
    const q = validate(cohortQuery, req.query, 'query');
    const { scope, flow, time_range } = scopeFor(deps, res, q);
    const rows = await deps.cached(
      'cohort-comparison',
      cacheKey('cohort-comparison', scope, q.cohort_by),
      () => cohortConversion(deps.sql, scope, q.cohort_by),
    );
    const cohorts = rows.map((c) => ({
      cohort: c.cohort,
      sessions: c.total,
      completed: c.completed,
      conversion_rate: c.total === 0 ? 0 : Math.round((10_000 * c.completed) / c.total) / 100,
    }));
    // Best and worst only among cohorts with enough sessions to mean something.
    const ranked = cohorts
      .filter((c) => c.sessions >= 20)
      .sort((a, b) => b.conversion_rate - a.conversion_rate);
    res.json(
      meta({
        cohort_by: q.cohort_by,
        cohorts,
        best_cohort: ranked[0] ?? null,
        worst_cohort: ranked.length > 1 ? ranked.at(-1) : null,
        flow_id: flow.id,
        time_range,
      }),
    );
  });

  router.get('/analytics/realtime/', async (req, res) => {
    const q = validate(realtimeQuery, req.query, 'query');
    const { tenantId } = scopeOf(adminOf(res), q.client_id);
    const since = new Date(deps.clock().getTime() - q.time_range_hours * 3_600_000);
    const [activity, byStage, atRisk] = await Promise.all([
      windowActivity(deps.sql, deps.table, tenantId, since),
      activeByStage(deps.sql, deps.table, tenantId, since),
      deps.atRisk?.(tenantId) ?? null,
    ]);
    res.json(
      meta({
        time_range_hours: q.time_range_hours,
        active_sessions: activity.active,
        started_sessions: activity.started,
        completed_sessions: activity.completed,
        sessions_by_stage: byStage,
        recent_errors: activity.errors,
        // Active sessions scored high or critical right now (null when risk scoring is off).
        at_risk_sessions: atRisk?.count ?? null,
        at_risk_top: atRisk?.top ?? [],
      }),
    );
  });

  router.get('/analytics/comparison/', async (req, res) => {
    const q = validate(comparisonQuery, req.query, 'query');
    const end = q.end_date ?? deps.clock();
    const span = q.period_days * day;
    const current = scopeFor(deps, res, {
      ...q,
      start_date: new Date(end.getTime() - span),
      end_date: end,
    });
    const previous = scopeFor(deps, res, {
      ...q,
      start_date: new Date(end.getTime() - 2 * span),
      end_date: new Date(end.getTime() - span),
    });
    const [a, b] = await Promise.all([
      funnelTotals(deps.sql, current.scope),
      funnelTotals(deps.sql, previous.scope),
    ]);
    const test = twoProportionZTest(a.completed, a.total, b.completed, b.total);
    const rate = (t: typeof a) => (t.total === 0 ? 0 : t.completed / t.total);
    const change = rate(a) - rate(b);
    const significant = test.pValue !== null && test.pValue < 0.05;
    res.json(
      meta({
        current_period: {
          ...current.time_range,
          sessions: a.total,
          completed: a.completed,
          conversion_rate: rate(a),
          median_completion_seconds: a.medianSeconds,
        },
        previous_period: {
          ...previous.time_range,
          sessions: b.total,
          completed: b.completed,
          conversion_rate: rate(b),
          median_completion_seconds: b.medianSeconds,
        },
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
      }),
    );
  });

  return router;
};
