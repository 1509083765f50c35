import { z } from 'zod';
import { anyObject, count, isoDate, percent } from '../api/contract/common';
import type { RouteSpec } from '../api/contract/routeSpec';
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

const timeRange = z.strictObject({ start_date: isoDate, end_date: isoDate });
const minutes = z.number().nullable().describe('minutes; null: no completed session');
const common = { flow_id: z.string(), time_range: timeRange, last_updated: isoDate };
const dropOff = z.strictObject({ stage: z.string(), count, share_of_drop_offs: percent });
/** Items computed by the recommendation rules (services/analytics/recommendations.ts). */
const recommendation = anyObject;

const heatmap = z.strictObject({
  granularity: z.enum(['hourly', 'daily', 'weekly']),
  stages: z.array(z.string()),
  buckets: z.array(isoDate),
  matrix: z.array(z.array(count)).describe('sessions dropped, per bucket (row) and stage (column)'),
  ...common,
});

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
    z.strictObject({
      total_sessions: count,
      completed_sessions: count,
      overall_conversion_rate: percent,
      avg_completion_time_minutes: minutes,
      median_completion_time_minutes: minutes,
      stages: z.array(
        z.strictObject({
          stage: z.string(),
          count,
          conversion_rate: percent,
          step_conversion_rate: percent,
          drop_off_count: count,
          drop_off_rate: percent,
          median_time_in_stage_seconds: z.number().nullable(),
          p90_time_in_stage_seconds: z.number().nullable(),
          errors: count,
          upload_rejections: count,
          rate_limit_hits: count,
        }),
      ),
      top_drop_off_points: z.array(dropOff),
      recommendations: z.array(recommendation),
      ...common,
    }),
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
      cohorts: z.array(anyObject),
      best_cohort: anyObject.nullable(),
      worst_cohort: anyObject.nullable(),
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
      total_sessions: count,
      ...common,
    }),
  ),
  report(
    ['/analytics/realtime/', 'getRealtime', 'Activity in the last time_range_hours'],
    realtimeQuery,
    z.strictObject({
      time_range_hours: count,
      active_sessions: count,
      started_sessions: count,
      completed_sessions: count,
      sessions_by_stage: z.array(anyObject),
      recent_errors: count,
      at_risk_sessions: count.nullable(),
      at_risk_top: z.array(anyObject),
      last_updated: isoDate,
    }),
  ),
  report(
    [
      '/analytics/comparison/',
      'getComparison',
      'A period against the one before it, with a two-proportion z-test',
    ],
    comparisonQuery,
    z.strictObject({
      current_period: anyObject,
      previous_period: anyObject,
      changes: anyObject,
      significance: anyObject,
      trend: z.enum(['improving', 'declining', 'stable']),
      flow_id: z.string(),
      last_updated: isoDate,
    }),
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
      active_by_stage: z.array(anyObject),
      recovery: z.strictObject({
        checkpoints_created: count,
        sessions_resumed: count,
        at_risk_count: count.nullable(),
        at_risk_sessions: z.array(anyObject),
      }),
      recommendations: z.array(recommendation),
      time_range: z.strictObject({ start: isoDate, end: isoDate, hours: count }),
      last_updated: isoDate,
    }),
  ),
  report(
    ['/dashboard/heatmap/', 'getDashboardHeatmap', 'Time-bucketed heatmap'],
    heatmapQuery,
    heatmap,
  ),
  report(
    ['/dashboard/cohort-trends/', 'getCohortTrends', 'Conversion of start cohorts over time'],
    cohortTrendsQuery,
    z.strictObject({
      cohorts: z.array(anyObject),
      trends: anyObject,
      cohort_type: z.enum(['daily', 'weekly', 'monthly']),
      period: timeRange,
      last_updated: isoDate,
    }),
  ),
];
