import { z } from 'zod';
import { count, isoDate, percent } from '../api/contract/common';

/** Nested response shapes of the analytics endpoints: strict, so an undocumented field fails. */
/** An active session scored high or critical (services/risk/atRisk.ts `atRiskSummary`). */
export const atRiskEntry = z.strictObject({
  session_id: z.string(),
  risk_level: z.string(),
  risk_score: z.number(),
  last_activity: isoDate,
  current_stage: z.string().nullable(),
});
/** One period of Waymark's own comparison form (end_date/period_days). */
export const waymarkPeriod = z.strictObject({
  start_date: isoDate,
  end_date: isoDate,
  sessions: count,
  completed: count,
  conversion_rate: percent,
  median_completion_seconds: z.number().nullable(),
});
/** A start cohort of the cohort trends (day, week or month). */
export const startCohort = z.strictObject({
  cohort_label: z.string().describe('the cohort start date, YYYY-MM-DD'),
  start_date: isoDate,
  end_date: isoDate.describe('the start + the cohort length (a day, week or month)'),
  total_sessions: count,
  completed_sessions: count,
  conversion_rate: percent,
  avg_completion_time_minutes: z.number().nullable(),
});
/** How the cohorts moved from the first to the last (services/analytics/cohortTrends.ts). */
export const cohortTrend = z.strictObject({
  conversion_trend: z.enum(['improving', 'declining', 'stable', 'insufficient_data']),
  conversion_change: z.number().nullable().describe('percentage points, last − first'),
  volume_trend: z.enum(['growing', 'shrinking', 'stable', 'insufficient_data']),
  volume_change_percent: z.number().nullable(),
});
export const waymarkChanges = z.strictObject({
  sessions: z.number().int(),
  conversion_rate: z.number().describe('percentage points: current − previous'),
  median_completion_seconds: z.number().nullable(),
});
export const waymarkSignificance = z.strictObject({
  test: z.string(),
  z: z.number().nullable(),
  p_value: z.number().nullable(),
  is_significant: z.boolean(),
  confidence_level: z.literal(0.95),
});
