import type { Recommendation } from '../recommendation';

const categories: Readonly<Record<string, 'user_experience' | 'performance' | 'content'>> = {
  largest_drop_off: 'user_experience',
  slowest_step: 'performance',
  errors_with_drop_off: 'performance',
  upload_rejections_with_drop_off: 'user_experience',
  rate_limits_with_drop_off: 'performance',
  period_change: 'content',
  transition_change: 'user_experience',
};

/** The documented priority from the test's confidence (1 − p): ≥ 0.99 high, ≥ 0.9 medium. */
export const priorityOf = (confidence: number): 'high' | 'medium' | 'low' =>
  confidence >= 0.99 ? 'high' : confidence >= 0.9 ? 'medium' : 'low';

const num = (e: Recommendation['evidence'], key: string): number | null =>
  typeof e[key] === 'number' ? e[key] : null;

/** How many sessions the recommendation's test was computed over (null: the rule names none). */
export const dataPointsOf = (e: Recommendation['evidence']): number | null => {
  const pairs: [string, string | null][] = [
    ['entered', null],
    ['reached_exposed', 'reached_unexposed'],
    ['current_sessions', 'previous_sessions'],
    ['sessions', null],
  ];
  for (const [a, b] of pairs) {
    const first = num(e, a);
    if (first !== null) return first + (b === null ? 0 : (num(e, b) ?? 0));
  }
  return null;
};

const reasoningOf = (r: Recommendation): string =>
  Object.entries(r.evidence)
    .map(([k, v]) =>
      k === 'test' ? String(v) : `${k}=${typeof v === 'number' ? +v.toPrecision(4) : String(v)}`,
    )
    .join('; ');

/** A recommendation with the documented fields added; Waymark's own fields stay. */
export const documentedRecommendation = (r: Recommendation, index: number) => ({
  ...r,
  id: `rec_${String(index + 1).padStart(3, '0')}`,
  priority: priorityOf(r.confidence),
  category: categories[r.type] ?? 'user_experience',
  recommendation: r.message,
  reasoning: reasoningOf(r),
  expected_impact: { conversion_rate_increase: null, completion_time_decrease_minutes: null },
  implementation_effort: null,
  data_points: dataPointsOf(r.evidence),
});

/** The funnel's short form of a recommendation (documented: priority, recommendation, impact). */
export const funnelRecommendation = (r: Recommendation) => ({
  ...r,
  priority: priorityOf(r.confidence),
  recommendation: r.message,
  impact: null,
});

/** `analytics/recommendations/` with the documented fields. */
export const recommendationsView = (body: { recommendations: readonly Recommendation[] }) => ({
  ...body,
  recommendations: body.recommendations.map(documentedRecommendation),
  total_recommendations: body.recommendations.length,
  aggregated_impact: { potential_conversion_increase: null, potential_time_saved_minutes: null },
});
