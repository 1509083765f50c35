import type { SessionState } from '../../events/onboarding/state';

/** Median time spent in each step, per flow (learned from training data, stored with a model). */
export type StepMedians = Readonly<Record<string, Readonly<Record<string, number>>>>;

/**
 * The model's inputs, in a fixed order. Counts and durations enter as log1p (heavy tails); the
 * hour of day as a point on a circle, so 23:00 and 00:00 are neighbours.
 */
const transforms = {
  idle_minutes: 'log1p',
  step_time_ratio: 'log1p',
  progress: 'none',
  question_repeats: 'log1p',
  errors: 'log1p',
  upload_rejections: 'log1p',
  rate_limit_hits: 'log1p',
  resumes: 'log1p',
  activity: 'log1p',
  hour_sin: 'none',
  hour_cos: 'none',
  channel_web: 'none',
  channel_mobile: 'none',
} as const satisfies Record<string, 'log1p' | 'none'>;

export const featureNames = Object.keys(transforms) as readonly (keyof typeof transforms)[];
export type FeatureName = (typeof featureNames)[number];

/** Raw values as a person would read them (minutes, counts), before the model's transforms. */
export type RawFeatures = Readonly<Record<FeatureName, number>>;

const minutes = (fromIso: string | null, now: number): number =>
  fromIso === null ? 0 : Math.max(0, (now - Date.parse(fromIso)) / 60_000);

const repeats = (s: SessionState): number =>
  Object.values(s.questionsAsked).reduce((sum, asked) => sum + Math.max(0, asked - 1), 0);

/** Features of a live session at `now` (idle time is measured to now, not to the last event). */
export const rawFeatures = (s: SessionState, now: number, medians: StepMedians): RawFeatures => {
  const inStepMinutes = minutes(s.currentStepEnteredAt, now);
  const median = s.currentStep === null ? undefined : medians[s.flowId]?.[s.currentStep];
  const hour = (new Date(now).getUTCHours() + new Date(now).getUTCMinutes() / 60) / 24;
  return {
    idle_minutes: minutes(s.lastActivityAt, now),
    step_time_ratio: median === undefined || median <= 0 ? 1 : inStepMinutes / (median / 60_000),
    progress: s.steps.length === 0 ? 0 : s.completedSteps.length / s.steps.length,
    question_repeats: repeats(s),
    errors: s.errorCount,
    upload_rejections: s.uploadsRejected,
    rate_limit_hits: s.rateLimitHits,
    resumes: s.resumeCount,
    activity: s.eventCount,
    hour_sin: Math.sin(2 * Math.PI * hour),
    hour_cos: Math.cos(2 * Math.PI * hour),
    channel_web: s.channel === 'web' ? 1 : 0,
    channel_mobile: s.channel === 'mobile' ? 1 : 0,
  };
};

/** The vector the model sees, in featureNames order. */
export const modelInput = (raw: RawFeatures): number[] =>
  featureNames.map((name) => (transforms[name] === 'log1p' ? Math.log1p(raw[name]) : raw[name]));
