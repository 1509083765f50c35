import type { RecordedEvent } from '../../events/envelope';
import { isOnboardingEventType, type OnboardingEvent } from '../../events/onboarding/events';
import { fold, type OnboardingState } from '../../events/onboarding/state';
import { onboardingStream } from '../../events/streamNames';
import type { EventStore } from '../../infra/eventStore/eventStore';

/** Narrows stored events to the onboarding union (the place to upcast old versions). */
export const asOnboardingEvents = (events: readonly RecordedEvent[]): OnboardingEvent[] =>
  events.map((event) => {
    if (!isOnboardingEventType(event.type)) {
      throw new Error(`unknown event type in an onboarding stream: ${event.type}`);
    }
    return { type: event.type, data: event.data } as OnboardingEvent;
  });

/**
 * A session as read from the store: its folded state and its stream version (-1: none).
 * `unchecked`: a state this process cached, not read again (the command path's fast path; the
 * append's expected version is what checks it).
 */
export type LoadedSession = Readonly<{ state: OnboardingState; version: number; unchecked?: true }>;

/** Reads a session's own stream and folds it: read-your-writes for every session endpoint. */
export const loadSession = async (
  eventStore: EventStore,
  sessionId: string,
): Promise<LoadedSession> => {
  const { events, version } = await eventStore.readStream(onboardingStream(sessionId));
  return { state: fold(asOnboardingEvents(events)), version };
};
