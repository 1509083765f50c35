import { Router, type Request, type Response } from 'express';
import type { Flow } from '../../../events/onboarding/flows';
import {
  cohortConversion,
  dropOffMatrix,
  funnelTotals,
  type SessionScope,
} from '../../../infra/postgres/analyticsQueries';
import type { SqlClient } from '../../../infra/postgres/sqlClient';
import { buildFunnel } from '../../analytics/funnel';
import { recommend } from '../../analytics/recommendations';
import { twoProportionZTest } from '../../analytics/statistics';
import { adminOf, scopeOf } from '../adminScope';
import {
  cohortQuery,
  comparisonQuery,
  funnelQuery,
  heatmapQuery,
  recommendationsQuery,
} from '../analyticsSchemas';
import { HttpError } from '../httpError';
import { validate } from '../validate';

export type AnalyticsDeps = Readonly<{
  sql: SqlClient;
  table: string;
  flows: ReadonlyMap<string, Flow>;
  clock: () => Date;
  inactiveMinutes: number;
}>;

const day = 86_400_000;
const maxSpanDays = 366;

/** Admin-only, tenant-scoped, with a bounded period: the common part of every analytics query. */
const scopeFor = (
  deps: AnalyticsDeps,
  res: Response,
  q: { start_date?: Date; end_date?: Date; client_id?: string; flow_id: string },
) => {
  const who = adminOf(res);
  const { tenantId } = scopeOf(who, q.client_id);
  const flow = deps.flows.get(q.flow_id);
  if (!flow)
    throw new HttpError(400, 'unknown_flow', 'no flow with that id', {
      fieldErrors: { flow_id: ['unknown flow'] },
    });
  const now = deps.clock();
  const to = q.end_date ?? now;
  const from = q.start_date ?? new Date(to.getTime() - 30 * day);
  if (from >= to) throw new HttpError(400, 'invalid_range', 'start_date must be before end_date');
  if (to.getTime() - from.getTime() > maxSpanDays * day)
    throw new HttpError(400, 'invalid_range', `the period may span at most ${maxSpanDays} days`);
  const scope: SessionScope = {
    table: deps.table,
    tenantId,
    flowId: flow.id,
    from,
    to,
    inactiveBefore: new Date(now.getTime() - deps.inactiveMinutes * 60_000),
  };
  return {
    scope,
    flow,
    time_range: { start_date: from.toISOString(), end_date: to.toISOString() },
  };
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
    const { body } = await buildFunnel(deps.sql, scope, flow.steps);
    res.json(meta({ ...body, flow_id: flow.id, time_range }));
  });

  router.get('/analytics/recommendations/', async (req, res) => {
    const q = validate(recommendationsQuery, req.query, 'query');
    const { scope, flow, time_range } = scopeFor(deps, res, q);
    const { totals, stageRows } = await buildFunnel(deps.sql, scope, flow.steps);
    const recommendations = recommend(flow.steps, stageRows, totals, q.min_confidence);
    res.json(meta({ recommendations, total_sessions: totals.total, flow_id: flow.id, time_range }));
  });

  router.get('/analytics/drop-off-heatmap/', async (req, res) => {
    const q = validate(heatmapQuery, req.query, 'query');
    const { scope, flow, time_range } = scopeFor(deps, res, q);
    const unit = ({ hourly: 'hour', daily: 'day', weekly: 'week' } as const)[q.granularity];
    const cells = await dropOffMatrix(deps.sql, scope, unit);
    const stages = ['started', ...flow.steps];
    const buckets = [...new Set(cells.map((c) => c.bucket))];
    const matrix = buckets.map((b) =>
      stages.map((_, i) => cells.find((c) => c.bucket === b && c.stage === i - 1)?.count ?? 0),
    );
    res.json(
      meta({ granularity: q.granularity, stages, buckets, matrix, flow_id: flow.id, time_range }),
    );
  });

  router.get('/analytics/cohort-comparison/', async (req, res) => {
    const q = validate(cohortQuery, req.query, 'query');
    const { scope, flow, time_range } = scopeFor(deps, res, q);
    const cohorts = (await cohortConversion(deps.sql, scope, q.cohort_by)).map((c) => ({
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
