import type { OnboardingEvent } from '../../events/onboarding/events';
import type { SessionState } from '../../events/onboarding/state';

/**
 * Per flow step of one session, what the funnel and drop-off analytics need: when the step was
 * first entered, and the errors, upload rejections and rate-limit refusals that happened in it.
 */
export type StageStats = Readonly<{
  reachedAt: readonly (string | null)[];
  errors: readonly number[];
  uploadRejections: readonly number[];
  rateLimitHits: readonly number[];
}>;

export const emptyStages = (steps: number): StageStats => ({
  reachedAt: Array.from({ length: steps }, () => null),
  errors: Array.from({ length: steps }, () => 0),
  uploadRejections: Array.from({ length: steps }, () => 0),
  rateLimitHits: Array.from({ length: steps }, () => 0),
});

const bump = (values: readonly number[], index: number): number[] =>
  values.map((v, i) => (i === index ? v + 1 : v));

/** Pure: the stage stats after one event; `before` is the session state before it. */
export const evolveStages = (
  stages: StageStats,
  before: SessionState,
  event: OnboardingEvent,
): StageStats => {
  const current = before.currentStep === null ? -1 : before.steps.indexOf(before.currentStep);
  if (event.type === 'StepEntered') {
    const index = event.data.stepIndex;
    if (stages.reachedAt[index] !== null) return stages;
    return {
      ...stages,
      reachedAt: stages.reachedAt.map((at, i) => (i === index ? event.data.at : at)),
    };
  }
  if (event.type === 'ErrorOccurred') {
    const index = event.data.step === null ? current : before.steps.indexOf(event.data.step);
    return index < 0 ? stages : { ...stages, errors: bump(stages.errors, index) };
  }
  if (event.type === 'UploadRejected' && current >= 0)
    return { ...stages, uploadRejections: bump(stages.uploadRejections, current) };
  if (event.type === 'RateLimitHit' && current >= 0)
    return { ...stages, rateLimitHits: bump(stages.rateLimitHits, current) };
  // Other events do not change per-stage statistics.
  return stages;
};
