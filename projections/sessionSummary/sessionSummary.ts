import { CodedError } from '../../events/codedError';
import type { RecordedEvent } from '../../events/envelope';
import { isOnboardingEventType, type OnboardingEvent } from '../../events/onboarding/events';
import { evolve, type SessionState } from '../../events/onboarding/state';
import { streamId } from '../../events/streamNames';
import { emptyStages, evolveStages, type StageStats } from './stageStats';

/**
 * The session summary read model (projection id `session-summary-v1`): per session the folded
 * session state (the same evolve as the command side) plus what only a read model needs — when
 * the furthest step was reached — and the position guard (`lastPosition`).
 */
export const sessionSummaryProjectionId = 'session-summary-v1';

export type SessionSummary = Readonly<{
  sessionId: string;
  lastPosition: number;
  state: SessionState;
  furthestStepReachedAt: string | null;
  stages: StageStats;
}>;

export class UnknownEventTypeError extends CodedError {
  constructor(message: string) {
    super({ code: 'unknown_event_type', category: 'decode' }, message);
  }
}

/** Pure: the summary after one event (the caller has checked the position guard). */
export const evolveSummary = (
  summary: SessionSummary | null,
  event: RecordedEvent,
): SessionSummary => {
  if (!isOnboardingEventType(event.type))
    throw new UnknownEventTypeError(`unknown event type ${event.type}`);
  const domainEvent = { type: event.type, data: event.data } as OnboardingEvent;
  const state = evolve(summary?.state ?? null, domainEvent);
  if (state === null)
    throw new UnknownEventTypeError(`session ${streamId(event.streamName)} has no SessionStarted`);
  const before = summary?.state.furthestStepIndex ?? -1;
  const stages = summary
    ? evolveStages(summary.stages, summary.state, domainEvent)
    : emptyStages(state.steps.length);
  return {
    sessionId: streamId(event.streamName),
    lastPosition: event.streamPosition,
    state,
    furthestStepReachedAt:
      state.furthestStepIndex > before
        ? state.lastActivityAt
        : (summary?.furthestStepReachedAt ?? null),
    stages,
  };
};

/** Question repeats: every ask of a question after its first. */
export const questionRepeats = (state: SessionState): number =>
  Object.values(state.questionsAsked).reduce((sum, asked) => sum + Math.max(0, asked - 1), 0);
