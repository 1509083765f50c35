import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Principal } from '../../infra/auth/jwt';
import { principalOf } from '../api/http/context';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
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
    res.json(await run(deps, principalOf(res), q));
  };

/** Analytics and dashboards over the read models (services/analytics/README.md). */
export const createAnalyticsRoutes = (deps: AnalyticsDeps, limit: RateLimitFactory): Router => {
  // Charged per route, never on a mount: a request that only passes through costs nothing here.
  const router = Router();
  const analytics = limit('analytics');
  router.get('/analytics/funnel/', analytics, report(deps, funnelQuery, funnelReport));
  router.get(
    '/analytics/recommendations/',
    analytics,
    report(deps, recommendationsQuery, recommendationsReport),
  );
  router.get('/analytics/drop-off-heatmap/', analytics, report(deps, heatmapQuery, heatmapReport));
  router.get('/analytics/cohort-comparison/', analytics, report(deps, cohortQuery, cohortReport));
  router.get('/analytics/realtime/', analytics, report(deps, realtimeQuery, realtimeReport));
  router.get('/analytics/comparison/', analytics, report(deps, comparisonQuery, comparisonReport));
  router.get('/dashboard/overview/', analytics, report(deps, overviewQuery, overviewReport));
  router.get('/dashboard/heatmap/', analytics, report(deps, heatmapQuery, heatmapReport));
  router.get(
    '/dashboard/cohort-trends/',
    analytics,
    report(deps, cohortTrendsQuery, cohortTrendsReport),
  );
  return router;
};
