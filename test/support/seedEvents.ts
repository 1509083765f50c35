import { randomUUID } from 'node:crypto';
import type { OnboardingEvent } from '../../events/onboarding/events';
import { defaultFlow } from '../../events/onboarding/flows';
import { onboardingStream } from '../../events/streamNames';
import type { EventStore } from '../../infra/eventStore/eventStore';

/** A realistic session history: started, then each step entered and completed, then completed. */
export const sessionHistory = (
  sessionId: string,
  stepsToDo = defaultFlow.steps.length,
): OnboardingEvent[] => {
  const at = new Date().toISOString();
  const events: OnboardingEvent[] = [
    {
      type: 'SessionStarted',
      data: {
        sessionId,
        tenantId: 'tenant-a',
        userId: `user-${sessionId.slice(0, 8)}`,
        flowId: defaultFlow.id,
        flowVersion: 1,
        steps: [...defaultFlow.steps],
        language: 'en',
        channel: 'web',
        userType: 'standard',
        clientId: null,
        at,
      },
    },
  ];
  defaultFlow.steps.slice(0, stepsToDo).forEach((step, stepIndex) => {
    events.push(
      { type: 'StepEntered', data: { step, stepIndex, at } },
      { type: 'StepCompleted', data: { step, stepIndex, durationMs: 10, at } },
    );
  });
  if (stepsToDo === defaultFlow.steps.length)
    events.push({ type: 'SessionCompleted', data: { at } });
  return events;
};

export const toNewEvents = (events: readonly OnboardingEvent[], correlationId = 'seed') =>
  events.map((e) => ({
    eventId: randomUUID(),
    type: e.type,
    data: e.data,
    metadata: { correlationId, tenantId: 'tenant-a', actor: 'seed' },
  }));

/** Appends `sessions` complete histories; returns the session ids. */
export const seedSessions = async (store: EventStore, sessions: number): Promise<string[]> => {
  const ids = Array.from({ length: sessions }, () => randomUUID());
  for (const id of ids)
    await store.appendToStream(onboardingStream(id), toNewEvents(sessionHistory(id)), {
      expectedVersion: -1,
    });
  return ids;
};
