import { z } from 'zod';
import { count, isoDate, percent } from '../api/contract/common';
import { atRiskEntry, waymarkChanges, waymarkPeriod, waymarkSignificance } from './contractNested';

/** Response shapes of the analytics endpoints, shared by their route specs (contract.ts). */
/** Cohort rows: Waymark's fields and the documented ones. Rates per issue 12's unit. */
export const cohortRow = {
  cohort: z.string(),
  sessions: count,
  completed: count,
  conversion_rate: z.number(),
  cohort_id: z.string().describe('= cohort'),
  cohort_name: z.string().describe('= cohort'),
  total_sessions: count,
  completed_sessions: count,
  avg_completion_time_minutes: z
    .null()
    .describe('null: the cohort query counts sessions; durations are in analytics/funnel/'),
};
export const cohort = z.strictObject(cohortRow);
export const comparedPeriod = z.strictObject({
  label: z.string(),
  start: isoDate,
  end: isoDate,
  total_sessions: count,
  completed_sessions: count,
  conversion_rate: percent,
  avg_completion_time_minutes: z.number().nullable(),
});
export const timeRange = z.strictObject({ start_date: isoDate, end_date: isoDate });
export const minutes = z.number().nullable().describe('minutes; null: no completed session');
export const common = { flow_id: z.string(), time_range: timeRange, last_updated: isoDate };
export const dropOff = z.strictObject({ stage: z.string(), count, share_of_drop_offs: percent });
/** Waymark's recommendation (services/analytics/recommendation.ts). */
export const waymarkRecommendation = {
  type: z.string().describe('the rule that fired'),
  stage: z.string(),
  message: z.string(),
  confidence: z.number().min(0).max(1).describe('1 − p-value of the test in evidence.test'),
  evidence: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
};
export const priority = z
  .enum(['high', 'medium', 'low'])
  .describe('from the confidence: ≥ 0.99 high, ≥ 0.9 medium, else low');
/** A recommendation as Waymark's rules produce it (dashboard overview). */
export const rawRecommendation = z.strictObject(waymarkRecommendation);
export const funnelRecommendation = z.strictObject({
  ...waymarkRecommendation,
  priority,
  recommendation: z.string().describe('= message'),
  impact: z
    .null()
    .describe('null: Waymark does not forecast impact; evidence holds the measured effect'),
});
export const recommendation = z.strictObject({
  ...waymarkRecommendation,
  id: z.string().describe('rec_001, rec_002, … in the order of the answer'),
  priority,
  category: z.enum(['user_experience', 'performance', 'content']).describe('from the rule type'),
  recommendation: z.string().describe('= message'),
  reasoning: z.string().describe('the test and its figures, from evidence'),
  expected_impact: z
    .strictObject({
      conversion_rate_increase: z.null(),
      completion_time_decrease_minutes: z.null(),
    })
    .describe('null: no forecast is made; a what-if would need assumptions the data cannot check'),
  implementation_effort: z.null().describe('null: effort is not in the data'),
  data_points: count.nullable().describe("sessions the rule's test was computed over"),
});
export const reason = z
  .string()
  .nullable()
  .describe(
    'the friction recorded most in that stage (errors, upload_rejections, rate_limit_hits); null when none: not a per-session cause',
  );
export const heatmapCell = z.strictObject({
  time_bucket: z
    .string()
    .describe('hourly YYYY-MM-DD HH:00, daily YYYY-MM-DD, weekly Week of YYYY-MM-DD (UTC)'),
  time_period: z.string().describe("= time_bucket (the dashboard's name)"),
  start: isoDate,
  end: isoDate,
  sessions_started: count,
  total_sessions: count.describe("= sessions_started (the dashboard's name)"),
  completion_rate: percent
    .nullable()
    .describe('of the sessions started in the bucket; null: none started'),
  drop_offs: count,
  drop_offs_by_stage: z.record(z.string(), count),
  stage_counts: z.array(z.strictObject({ stage: z.string(), count })),
});
export const hour = z
  .string()
  .nullable()
  .describe('UTC hour of day, e.g. 14:00-15:00; null: no drop-offs');

export const granularity = z.enum(['hourly', 'daily', 'weekly']);
export const heatmap = z.strictObject({
  granularity,
  stages: z.array(z.string()),
  buckets: z.array(isoDate),
  matrix: z.array(z.array(count)).describe('sessions dropped, per bucket (row) and stage (column)'),
  heatmap_data: z.array(heatmapCell),
  overall_drop_off_rate: percent.describe('dropped sessions / sessions started in the period'),
  overall_drop_offs: z.record(z.string(), count),
  highest_drop_off_hour: hour,
  lowest_drop_off_hour: hour,
  time_analysis: z.strictObject({ peak_drop_off_hour: hour, lowest_drop_off_hour: hour }),
  error_patterns: z
    .null()
    .describe(
      'null: error messages are never stored (personal data); errors per stage are in analytics/funnel/',
    ),
  period: z.strictObject({ start: isoDate, end: isoDate }),
  flow_id: z.string(),
  time_range: z.strictObject({
    start_date: isoDate,
    end_date: isoDate,
    start: isoDate,
    end: isoDate,
    granularity,
  }),
  last_updated: isoDate,
});

export const funnelResponse = z.strictObject({
  total_sessions: count,
  completed_sessions: count,
  abandoned_sessions: count.describe('sessions of the period the detector marked abandoned'),
  in_progress_sessions: count.describe('sessions still running: never counted as drop-offs'),
  overall_conversion_rate: percent,
  avg_completion_time_minutes: minutes,
  median_completion_time_minutes: minutes,
  stages: z.array(
    z.strictObject({
      stage: z.string(),
      name: z.string().describe('display name, e.g. Information Collection'),
      session_states: z.array(z.string()).describe('the Waymark step ids the stage stands for'),
      avg_time_in_stage_minutes: z
        .null()
        .describe(
          'null: Waymark keeps the median and p90 (median_time_in_stage_seconds), not a mean',
        ),
      count,
      conversion_rate: percent,
      step_conversion_rate: percent,
      drop_off_count: count,
      drop_off_rate: percent,
      in_progress: count.describe(
        'sessions still running with this as their furthest stage (count − next count = drop_off_count + in_progress)',
      ),
      median_time_in_stage_seconds: z.number().nullable(),
      p90_time_in_stage_seconds: z.number().nullable(),
      errors: count,
      upload_rejections: count,
      rate_limit_hits: count,
    }),
  ),
  top_drop_off_points: z.array(
    z.strictObject({
      stage: z.string(),
      count,
      share_of_drop_offs: percent,
      state: z.string().describe('= stage'),
      percentage: percent.describe('= share_of_drop_offs'),
      reason,
    }),
  ),
  recommendations: z.array(funnelRecommendation),
  flow_id: z.string(),
  time_range: z.strictObject({
    start_date: isoDate,
    end_date: isoDate,
    start: isoDate,
    end: isoDate,
    days: z.number(),
  }),
  last_updated: isoDate,
});
export const realtimeResponse = z.strictObject({
  time_range_hours: count,
  active_sessions: count,
  started_sessions: count,
  completed_sessions: count,
  sessions_started_last_hour: count.describe('started in the window (time_range_hours, default 1)'),
  sessions_completed_last_hour: count.describe('completed in the window'),
  current_conversion_rate: percent.describe('completed / started in the window'),
  avg_session_duration_minutes: z
    .number()
    .nullable()
    .describe('mean duration of the sessions completed in the window; null: none'),
  sessions_by_stage: z.record(z.string(), count).describe('active sessions per current step'),
  sessions_by_stage_list: z.array(z.strictObject({ stage: z.string(), count })),
  recent_errors: z
    .array(
      z.strictObject({
        timestamp: isoDate.describe(
          "the session's last activity (counts, not each error, are kept)",
        ),
        session_id: z.string(),
        error_type: z.null().describe('null: error codes stay in the event stream'),
        stage: z.string().nullable(),
        error_count: count,
      }),
    )
    .describe('sessions with errors active in the window, newest first (at most 20)'),
  recent_errors_count: count,
  at_risk_sessions: z.array(atRiskEntry).describe('the top five high or critical sessions'),
  at_risk_count: count.nullable().describe('null: risk scoring is off'),
  at_risk_top: z.array(atRiskEntry),
  cache_ttl: z.literal(0).describe('0: realtime is computed on every request (not cached)'),
  last_updated: isoDate,
});
export const comparisonResponse = z.strictObject({
  period1: comparedPeriod,
  period2: comparedPeriod,
  comparison: z
    .strictObject({
      conversion_rate_change: z.number().describe('points: period1 − period2'),
      conversion_rate_change_percent: z.number().nullable().describe('relative, %'),
      completion_time_change_minutes: z.number().nullable(),
      sessions_change: z.number().int(),
      sessions_change_percent: z.number().nullable().describe('relative, %'),
    })
    .describe('period1 minus period2'),
  statistical_significance: z.strictObject({
    test: z.string(),
    z: z.number().nullable(),
    p_value: z.number().nullable(),
    is_significant: z.boolean(),
    confidence_level: z.literal(0.95),
  }),
  current_period: waymarkPeriod.optional().describe('the end_date/period_days form only'),
  previous_period: waymarkPeriod.optional().describe('the end_date/period_days form only'),
  changes: waymarkChanges.optional().describe('the end_date/period_days form only'),
  significance: waymarkSignificance.optional().describe('the end_date/period_days form only'),
  trend: z.enum(['improving', 'declining', 'stable']),
  flow_id: z.string(),
  last_updated: isoDate,
});
