import type { SessionState } from '../../events/onboarding/state';

export type NextAction = Readonly<{ type: string; step: string | null; description: string }>;

/** What a resumed client should do next, from the session's own state (not the client's label). */
export const nextAction = (s: SessionState): NextAction => {
  const remaining = s.steps.filter((step) => !s.completedSteps.includes(step));
  if (remaining.length === 0)
    return { type: 'complete_session', step: null, description: 'every step is done' };
  if (s.currentStep !== null && !s.completedSteps.includes(s.currentStep))
    return { type: 'continue_step', step: s.currentStep, description: 'finish the current step' };
  return { type: 'enter_step', step: remaining[0] ?? null, description: 'start the next step' };
};

/** Completed steps as a percentage of the flow, one decimal. */
export const progressPercent = (s: SessionState): number =>
  s.steps.length === 0 ? 0 : Math.round((1000 * s.completedSteps.length) / s.steps.length) / 10;
