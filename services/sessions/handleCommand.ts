import { setTimeout as sleep } from 'node:timers/promises';
import type { EventMetadata } from '../../events/envelope';
import type { OnboardingCommand } from '../../events/onboarding/commands';
import { decide } from '../../events/onboarding/decide';
import type { OnboardingEvent } from '../../events/onboarding/events';
import { evolve, type OnboardingState } from '../../events/onboarding/state';
import { WrongExpectedVersionError, type EventStore } from '../../infra/eventStore/eventStore';
import { loadSession, type LoadedSession } from './loadSession';

export type CommandHandlerDeps = Readonly<{
  eventStore: EventStore;
  newId: () => string;
  onConflict?: () => void;
}>;

export type HandleResult = Readonly<{
  version: number;
  events: OnboardingEvent[];
  state: OnboardingState;
}>;

const maxAttempts = 4;

/** Runs a batch of commands against a state: each sees the events the previous ones decided. */
const decideAll = (commands: readonly OnboardingCommand[], initial: OnboardingState) => {
  let state = initial;
  const events: OnboardingEvent[] = [];
  for (const command of commands) {
    for (const event of decide(command, state)) {
      events.push(event);
      state = evolve(state, event);
    }
  }
  return { events, state };
};

/**
 * The one write path: read the stream, fold, decide, append with the expected version. When the
 * caller named an expected version, a mismatch is its to resolve (409). Otherwise a conflict with a
 * concurrent writer is retried (up to 4 attempts, 100 ms × 1.5 backoff) against the fresh state.
 * Nothing is published from here: the relay takes events from the store (no dual writes).
 */
export const createCommandHandler =
  (deps: CommandHandlerDeps) =>
  async (
    streamName: string,
    commands: readonly OnboardingCommand[],
    options: Readonly<{
      expectedVersion?: number;
      metadata: EventMetadata;
      loaded?: LoadedSession;
    }>,
  ): Promise<HandleResult> => {
    for (let attempt = 1; ; attempt += 1) {
      // A caller that just read the stream (to authorise) passes it in: one read fewer per request.
      const loaded =
        attempt === 1 && options.loaded
          ? options.loaded
          : await loadSession(deps.eventStore, streamName);
      if (options.expectedVersion !== undefined && options.expectedVersion !== loaded.version) {
        throw new WrongExpectedVersionError(streamName, options.expectedVersion, loaded.version);
      }
      const { events, state } = decideAll(commands, loaded.state);
      if (events.length === 0) return { version: loaded.version, events, state };
      try {
        const { nextExpectedVersion } = await deps.eventStore.appendToStream(
          streamName,
          events.map((e) => ({
            eventId: deps.newId(),
            type: e.type,
            data: e.data,
            metadata: options.metadata,
          })),
          { expectedVersion: loaded.version },
        );
        return { version: nextExpectedVersion, events, state };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        deps.onConflict?.();
        if (options.expectedVersion !== undefined || attempt >= maxAttempts) throw error;
        await sleep(100 * 1.5 ** (attempt - 1));
      }
    }
  };

export type CommandHandler = ReturnType<typeof createCommandHandler>;
