import { z } from 'zod';
import { defaultTimeRangeNote } from '../shared/defaultTimeRange';

const when = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((v) => new Date(v));
const tenant = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits and ._:- (max 128)');
const flow = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a flow id');

/** Shared by every analytics endpoint: the period, the tenant (superadmin) and the flow. */
const scopeShape = {
  start_date: when.optional(),
  end_date: when.optional(),
  client_id: tenant.optional(),
  flow_id: flow.default('default'),
};

export const funnelQuery = z.object(scopeShape).strict();
export const recommendationsQuery = z
  .object({
    ...scopeShape,
    min_confidence: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.7)
      .describe('the lowest confidence (1 − p-value) shown; documented default 0.7'),
  })
  .strict();
const granularity = z.enum(['hourly', 'daily', 'weekly']);
/** `analytics/drop-off-heatmap/`: documented default `hourly` over the last 7 days. */
export const heatmapQuery = z
  .object({ ...scopeShape, granularity: granularity.default('hourly') })
  .strict();
/** `dashboard/heatmap/`: the dashboard's documented default is `daily` (also 7 days). */
export const dashboardHeatmapQuery = z
  .object({ ...scopeShape, granularity: granularity.default('daily') })
  .strict();
export const cohortQuery = z
  .object({
    ...scopeShape,
    cohort_by: z
      .enum(['client', 'conversation_type', 'flow', 'language', 'channel', 'start_week'])
      .default('client')
      .describe("documented default `client`; `conversation_type` is Waymark's flow"),
  })
  .strict();
export const comparisonQuery = z
  .object({
    end_date: when.optional(),
    period_days: z.coerce.number().int().min(1).max(180).default(7),
    period1_start: when.optional(),
    period1_end: when.optional(),
    period2_start: when.optional(),
    period2_end: when.optional(),
    client_id: tenant.optional(),
    flow_id: flow.default('default'),
  })
  .strict();

export const realtimeQuery = z
  .object({
    time_range_hours: z.coerce.number().int().min(1).max(168).default(1),
    client_id: tenant.optional(),
  })
  .strict();

export const overviewQuery = z
  .object({
    time_range_hours: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .optional()
      .describe(`the window in hours; ${defaultTimeRangeNote}`),
    client_id: tenant.optional(),
    flow_id: flow.default('default'),
  })
  .strict();

export const cohortTrendsQuery = z
  .object({
    ...scopeShape,
    cohort_type: z.enum(['daily', 'weekly', 'monthly']).default('weekly'),
  })
  .strict();
