import { z } from 'zod';
import { count, isoDate, percent } from '../api/contract/common';
import type { RouteSpec } from '../api/contract/routeSpec';
import {
  cohort,
  common,
  comparisonResponse,
  dropOff,
  funnelResponse,
  heatmap,
  minutes,
  rawRecommendation,
  realtimeResponse,
  recommendation,
  timeRange,
} from './contractShapes';
import { atRiskEntry, cohortTrend, startCohort } from './contractNested';
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

const report = (
  [path, operationId, summary]: readonly [string, string, string],
  query: z.ZodObject,
  schema: z.ZodType,
): RouteSpec => ({
  method: 'get',
  path,
  operationId,
  summary,
  tag: path.startsWith('/dashboard') ? 'dashboard' : 'analytics',
  rateLimit: 'analytics',
  query,
  responses: { 200: { description: 'the report', schema } },
  errors: ['forbidden', 'invalid_range', 'unknown_flow'],
});

export const analyticsRouteSpecs: readonly RouteSpec[] = [
  report(
    [
      '/analytics/funnel/',
      'getFunnel',
      'The cumulative funnel of a flow over a period (default the last 30 days)',
    ],
    funnelQuery,
    funnelResponse,
  ),
  report(
    ['/analytics/drop-off-heatmap/', 'getDropOffHeatmap', 'Drop-offs per time bucket and stage'],
    heatmapQuery,
    heatmap,
  ),
  report(
    ['/analytics/cohort-comparison/', 'getCohortComparison', 'Conversion per cohort'],
    cohortQuery,
    z.strictObject({
      cohort_by: z.string(),
      cohorts: z.array(cohort),
      best_cohort: cohort.nullable().describe('highest conversion among cohorts of ≥ 20 sessions'),
      worst_cohort: cohort.nullable(),
      best_performing_cohort: cohort.nullable().describe('= best_cohort'),
      worst_performing_cohort: cohort.nullable().describe('= worst_cohort'),
      ...common,
    }),
  ),
  report(
    [
      '/analytics/recommendations/',
      'getRecommendations',
      'Recommendations with a statistical confidence',
    ],
    recommendationsQuery,
    z.strictObject({
      recommendations: z.array(recommendation),
      total_recommendations: count,
      aggregated_impact: z
        .strictObject({
          potential_conversion_increase: z.null(),
          potential_time_saved_minutes: z.null(),
        })
        .describe('null: no forecast is made (see expected_impact)'),
      total_sessions: count,
      ...common,
    }),
  ),
  report(
    ['/analytics/realtime/', 'getRealtime', 'Activity in the last time_range_hours'],
    realtimeQuery,
    realtimeResponse,
  ),
  report(
    [
      '/analytics/comparison/',
      'getComparison',
      'A period against the one before it, with a two-proportion z-test',
    ],
    comparisonQuery,
    comparisonResponse,
  ),
  report(
    ['/dashboard/overview/', 'getDashboardOverview', 'The combined dashboard overview (cached)'],
    overviewQuery,
    z.strictObject({
      overview: z.strictObject({
        total_sessions: count,
        active_sessions: count,
        completed_sessions: count,
        conversion_rate: percent,
        avg_completion_time_minutes: minutes,
      }),
      funnel: z.strictObject({
        stages: z.array(
          z.strictObject({
            name: z.string(),
            count,
            conversion_rate: percent,
            drop_off_rate: percent,
          }),
        ),
        top_drop_offs: z.array(dropOff),
      }),
      active_by_stage: z.array(z.strictObject({ stage: z.string(), count })),
      recovery: z.strictObject({
        checkpoints_created: count,
        sessions_resumed: count,
        at_risk_count: count.nullable(),
        at_risk_sessions: z.array(atRiskEntry),
      }),
      recommendations: z
        .array(rawRecommendation)
        .describe('the top three, as the rules produce them'),
      time_range: z.strictObject({ start: isoDate, end: isoDate, hours: count }),
      last_updated: isoDate,
    }),
  ),
  report(
    ['/dashboard/heatmap/', 'getDashboardHeatmap', 'Time-bucketed heatmap (default daily, 7 days)'],
    dashboardHeatmapQuery,
    heatmap,
  ),
  report(
    ['/dashboard/cohort-trends/', 'getCohortTrends', 'Conversion of start cohorts over time'],
    cohortTrendsQuery,
    z.strictObject({
      cohorts: z.array(startCohort),
      trends: cohortTrend,
      cohort_type: z.enum(['daily', 'weekly', 'monthly']),
      period: timeRange,
      last_updated: isoDate,
    }),
  ),
];
