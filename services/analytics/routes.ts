import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Principal } from '../../infra/auth/jwt';
import { principalOf } from '../api/http/context';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { validate } from '../shared/validate';
import { overviewReport } from './dashboardReports';
import {
  documentedCohorts,
  documentedCohortTrends,
  documentedComparison,
  documentedFunnel,
  documentedHeatmap,
  documentedRealtime,
  documentedRecommendations,
} from './documented/documentedReports';
import type { AnalyticsDeps } from './scope';
import {
  cohortQuery,
  cohortTrendsQuery,
  comparisonQuery,
  dashboardHeatmapQuery,
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
export const createAnalyticsRoutes = (deps: AnalyticsDeps, limit: RateLimitFactory): Router => {
  // Charged per route, never on a mount: a request that only passes through costs nothing here.
  const router = Router();
  const analytics = limit('analytics');
  router.get('/analytics/funnel/', analytics, report(deps, funnelQuery, documentedFunnel));
  router.get(
    '/analytics/recommendations/',
    analytics,
    report(deps, recommendationsQuery, documentedRecommendations),
  );
  router.get(
    '/analytics/drop-off-heatmap/',
    analytics,
    report(deps, heatmapQuery, documentedHeatmap),
  );
  router.get(
    '/analytics/cohort-comparison/',
    analytics,
    report(deps, cohortQuery, documentedCohorts),
  );
  router.get('/analytics/realtime/', analytics, report(deps, realtimeQuery, documentedRealtime));
  router.get(
    '/analytics/comparison/',
    analytics,
    report(deps, comparisonQuery, documentedComparison),
  );
  router.get('/dashboard/overview/', analytics, report(deps, overviewQuery, overviewReport));
  router.get(
    '/dashboard/heatmap/',
    analytics,
    report(deps, dashboardHeatmapQuery, documentedHeatmap),
  );
  router.get(
    '/dashboard/cohort-trends/',
    analytics,
    report(deps, cohortTrendsQuery, documentedCohortTrends),
  );
  return router;
};
