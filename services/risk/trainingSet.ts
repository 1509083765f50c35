import type { RecordedEvent } from '../../events/envelope';
import { evolve, type OnboardingState, type SessionState } from '../../events/onboarding/state';
import { asOnboardingEvents } from '../sessions/loadSession';

/**
 * One finished session seen as it stood `horizonMinutes` after it started: the state then, the
 * time then (idle time is measured to it), how it really ended, and its step durations (for the
 * per-step medians, taken from the training part only).
 */
export type Example = Readonly<{
  sessionId: string;
  tenantId: string;
  startedAt: number;
  observedAt: number;
  state: SessionState;
  label: 0 | 1;
  stepDurations: readonly (readonly [string, string, number])[];
}>;

type Tracking = {
  prefix: OnboardingState;
  final: OnboardingState;
  horizon: number;
  durations: [string, string, number][];
};

export type TrainingSetOptions = Readonly<{
  horizonMinutes: number;
  /** End reasons that are not the user leaving (e.g. a bank's `declined`): left out. */
  excludeReasons: readonly string[];
  tenantId: string | null;
}>;

/** Lost = abandoned, or cancelled for a reason that is not excluded; completed = kept. */
const labelOf = (s: SessionState, excluded: readonly string[]): 0 | 1 | null => {
  if (s.status === 'completed') return 0;
  if (s.status === 'active' || excluded.includes(s.endReason ?? '')) return null;
  return 1;
};

/** Builds examples from events in log order (page by page), holding two states per session. */
export const createTrainingSetBuilder = (options: TrainingSetOptions) => {
  const sessions = new Map<string, Tracking>();
  const add = (recorded: RecordedEvent) => {
    const [event] = asOnboardingEvents([recorded]);
    if (event === undefined) return;
    const key = recorded.streamName;
    const t = sessions.get(key) ?? { prefix: null, final: null, horizon: 0, durations: [] };
    if (t.final === null && event.type === 'SessionStarted') {
      if (options.tenantId !== null && event.data.tenantId !== options.tenantId) return;
      t.horizon = Date.parse(event.data.at) + options.horizonMinutes * 60_000;
    }
    t.final = evolve(t.final, event);
    if (Date.parse(event.data.at) <= t.horizon) t.prefix = evolve(t.prefix, event);
    if (event.type === 'StepCompleted' && event.data.durationMs !== null && t.final !== null)
      t.durations.push([t.final.flowId, event.data.step, event.data.durationMs]);
    if (t.final !== null) sessions.set(key, t);
  };
  const examples = (): Example[] =>
    [...sessions.values()].flatMap((t): Example[] => {
      const { prefix, final } = t;
      if (prefix === null || final === null || prefix.status !== 'active') return [];
      const label = labelOf(final, options.excludeReasons);
      if (label === null) return [];
      return [
        {
          sessionId: final.sessionId,
          tenantId: final.tenantId,
          startedAt: Date.parse(final.startedAt),
          observedAt: t.horizon,
          state: prefix,
          label,
          stepDurations: t.durations,
        },
      ];
    });
  return { add, examples, size: () => sessions.size };
};
