import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Principal } from '../../infra/auth/jwt';
import { principalOf } from '../api/http/context';
import { validate } from '../shared/validate';
import { cohortTrendsReport, overviewReport, realtimeReport } from './dashboardReports';
import {
  cohortReport,
  comparisonReport,
  funnelReport,
  heatmapReport,
  recommendationsReport,
} from './funnelReports';
import type { AnalyticsDeps } from './scope';
import {
  cohortQuery,
  cohortTrendsQuery,
  comparisonQuery,
  funnelQuery,
  heatmapQuery,
  overviewQuery,
  realtimeQuery,
  recommendationsQuery,
} from './schemas';

/** One GET endpoint: the query validated by its schema, the report (admins only) as the body. */
const report =
  <S extends z.ZodType>(
    deps: AnalyticsDeps,
    schema: S,
    run: (deps: AnalyticsDeps, who: Principal, q: z.infer<S>) => Promise<object>,
  ) =>
  async (req: Request, res: Response) => {
    const q = validate(schema, req.query, 'query');
    // Every endpoint, cached or not, hit or miss: the time the caller waits for the report.
    const endpoint = (req.route as { path: string }).path;
    const done = deps.metrics.analyticsQueryDuration.startTimer({ endpoint });
    const body = await run(deps, principalOf(res), q);
    done();
    res.json(body);
  };

/** Analytics and dashboards over the read models (services/analytics/README.md). */
export const createAnalyticsRoutes = (deps: AnalyticsDeps): Router => {
  const router = Router();
  router.get('/analytics/funnel/', report(deps, funnelQuery, funnelReport));
  router.get(
    '/analytics/recommendations/',
    report(deps, recommendationsQuery, recommendationsReport),
  );
  router.get('/analytics/drop-off-heatmap/', report(deps, heatmapQuery, heatmapReport));
  router.get('/analytics/cohort-comparison/', report(deps, cohortQuery, cohortReport));
  router.get('/analytics/realtime/', report(deps, realtimeQuery, realtimeReport));
  router.get('/analytics/comparison/', report(deps, comparisonQuery, comparisonReport));
  router.get('/dashboard/overview/', report(deps, overviewQuery, overviewReport));
  router.get('/dashboard/heatmap/', report(deps, heatmapQuery, heatmapReport));
  router.get('/dashboard/cohort-trends/', report(deps, cohortTrendsQuery, cohortTrendsReport));
  return router;
};
