import type { OnboardingCommand } from '../../events/onboarding/commands';
import { decide } from '../../events/onboarding/decide';
import type { OnboardingEvent } from '../../events/onboarding/events';
import { evolve, type OnboardingState } from '../../events/onboarding/state';
import { onboardingStream } from '../../events/streamNames';
import { WrongExpectedVersionError, type EventStore } from '../../infra/eventStore/eventStore';
import { commandMetadataOf, eventMetadataOf, type CommandContext } from '../shared/commandContext';
import { loadSession, type LoadedSession } from './loadSession';
import { retryOnConflict } from './retryOnConflict';

/** A command as a caller asks for it: its type and data; the context supplies the metadata. */
export type SessionIntent = OnboardingCommand extends infer C
  ? C extends OnboardingCommand
    ? Omit<C, 'metadata'>
    : never
  : never;

/** How the write path reads a session before deciding (the whole stream, or snapshot + tail). */
export type SessionLoader = (sessionId: string) => Promise<LoadedSession>;

export type CommandHandlerDeps = Readonly<{
  eventStore: EventStore;
  newId: () => string;
  /** Defaults to folding the whole stream. */
  load?: SessionLoader;
  onConflict?: () => void;
  /** Told of every commit with the state it produced (the loader's cache). */
  onCommitted?: (sessionId: string, state: OnboardingState, version: number) => void;
}>;

export type HandleResult = Readonly<{
  version: number;
  events: OnboardingEvent[];
  state: OnboardingState;
}>;

export type HandleOptions = Readonly<{
  /** The version the caller saw: a mismatch is the caller's to resolve (409, no retry). */
  expectedVersion?: number;
  /** The session as the caller just read it (to authorise): saves the first read. */
  loaded?: LoadedSession;
}>;

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
 * The one write path of a session: read, fold, decide, append with the expected version. Without
 * an expected version from the caller, a conflict with a concurrent writer is retried (4 attempts
 * in all) against the fresh state. Nothing is published from here: the relay takes events from
 * the store (no dual writes).
 */
export const createCommandHandler = (deps: CommandHandlerDeps) => {
  const load = deps.load ?? ((sessionId: string) => loadSession(deps.eventStore, sessionId));
  return async (
    sessionId: string,
    intents: readonly SessionIntent[],
    ctx: CommandContext,
    options: HandleOptions = {},
  ): Promise<HandleResult> => {
    const meta = commandMetadataOf(ctx);
    const commands = intents.map((i): OnboardingCommand => ({ ...i, metadata: meta }));
    const streamName = onboardingStream(sessionId);
    return retryOnConflict(
      async (attempt) => {
        const loaded = attempt === 1 && options.loaded ? options.loaded : await load(sessionId);
        if (options.expectedVersion !== undefined && options.expectedVersion !== loaded.version) {
          throw new WrongExpectedVersionError(streamName, options.expectedVersion, loaded.version);
        }
        const { events, state } = decideAll(commands, loaded.state);
        if (events.length === 0) return { version: loaded.version, events, state };
        const { nextExpectedVersion } = await deps.eventStore.appendToStream(
          streamName,
          events.map((e) => ({
            eventId: deps.newId(),
            type: e.type,
            data: e.data,
            metadata: eventMetadataOf(ctx),
          })),
          { expectedVersion: loaded.version },
        );
        deps.onCommitted?.(sessionId, state, nextExpectedVersion);
        return { version: nextExpectedVersion, events, state };
      },
      {
        attempts: options.expectedVersion === undefined ? 4 : 1,
        ...(deps.onConflict ? { onConflict: deps.onConflict } : {}),
      },
    );
  };
};

export type CommandHandler = ReturnType<typeof createCommandHandler>;
