import type { Recommendation } from '../recommendation';
import { funnelRecommendation } from './recommendationsView';
import { stageName } from './units';

type Stage = Readonly<{
  stage: string;
  errors?: number;
  upload_rejections?: number;
  rate_limit_hits?: number;
}>;
type DropOff = Readonly<{ stage: string; count: number; share_of_drop_offs: number }>;
type FunnelBody = Readonly<{
  stages: readonly Stage[];
  top_drop_off_points: readonly DropOff[];
  recommendations: readonly Recommendation[];
  time_range: Readonly<{ start_date: string; end_date: string }>;
}>;

/** The friction recorded most in a stage, as the drop-off's documented `reason` (null: none). */
const frictionOf = (stage: Stage | undefined): string | null => {
  const signals: [string, number][] = [
    ['errors', stage?.errors ?? 0],
    ['upload_rejections', stage?.upload_rejections ?? 0],
    ['rate_limit_hits', stage?.rate_limit_hits ?? 0],
  ];
  const [name, n] = signals.sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  return n > 0 ? name : null;
};

/** `analytics/funnel/` with the documented fields added (Waymark's stay). */
export const funnelView = <B extends FunnelBody>(body: B, abandoned: number) => {
  const start = Date.parse(body.time_range.start_date);
  const end = Date.parse(body.time_range.end_date);
  return {
    ...body,
    abandoned_sessions: abandoned,
    stages: body.stages.map((s) => ({
      ...s,
      name: stageName(s.stage),
      session_states: [s.stage],
      avg_time_in_stage_minutes: null,
    })),
    top_drop_off_points: body.top_drop_off_points.map((d) => ({
      ...d,
      state: d.stage,
      percentage: d.share_of_drop_offs,
      reason: frictionOf(body.stages.find((s) => s.stage === d.stage)),
    })),
    recommendations: body.recommendations.map(funnelRecommendation),
    time_range: {
      ...body.time_range,
      start: body.time_range.start_date,
      end: body.time_range.end_date,
      days: Math.round(((end - start) / 86_400_000) * 100) / 100,
    },
  };
};
