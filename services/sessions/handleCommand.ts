import type { OnboardingCommand } from '../../events/onboarding/commands';
import { decide } from '../../events/onboarding/decide';
import type { OnboardingEvent } from '../../events/onboarding/events';
import { evolve, type OnboardingState } from '../../events/onboarding/state';
import { onboardingStream } from '../../events/streamNames';
import { CodedError } from '../../events/codedError';
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
  /** A first load that may answer from a cache without reading (`unchecked`); defaults to `load`. */
  loadForCommand?: SessionLoader;
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
  /** The session as the caller just loaded it (to authorise): saves the first load. */
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
 * A failure a stale state can explain: a conflict or a rule the decider saw broken (validation
 * category). An outage (database, network) is not: deciding again would only double its load.
 */
const mayBeStale = (error: unknown): boolean =>
  error instanceof CodedError && error.category === 'validation';

/**
 * The one write path of a session: read, fold, decide, append with the expected version. Without
 * an expected version from the caller, a conflict with a concurrent writer is retried (4 attempts
 * in all) against the fresh state. A first attempt on an `unchecked` (cached, not re-read) state
 * that fails in any way a stale state could explain (a conflict, a rejection, a different version
 * than the caller's, nothing to append) is decided again at once on a load, so a stale cache
 * costs one round trip and never an answer. Nothing is published from here: the relay takes
 * events from the store (no dual writes).
 */
export const createCommandHandler = (deps: CommandHandlerDeps) => {
  const load = deps.load ?? ((sessionId: string) => loadSession(deps.eventStore, sessionId));
  const first = deps.loadForCommand ?? load;
  return async (
    sessionId: string,
    intents: readonly SessionIntent[],
    ctx: CommandContext,
    options: HandleOptions = {},
  ): Promise<HandleResult> => {
    const meta = commandMetadataOf(ctx);
    const commands = intents.map((i): OnboardingCommand => ({ ...i, metadata: meta }));
    const streamName = onboardingStream(sessionId);

    const attempt = async (loaded: LoadedSession): Promise<HandleResult> => {
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
    };

    const initial = options.loaded ?? (await first(sessionId));
    if (initial.unchecked === true) {
      const fast = await attempt(initial).catch((error: unknown) => {
        if (mayBeStale(error)) return null;
        throw error;
      });
      if (fast !== null && fast.events.length > 0) return fast;
    }
    return retryOnConflict(
      async (n) => attempt(n === 1 && initial.unchecked !== true ? initial : await load(sessionId)),
      {
        attempts: options.expectedVersion === undefined ? 4 : 1,
        ...(deps.onConflict ? { onConflict: deps.onConflict } : {}),
      },
    );
  };
};

export type CommandHandler = ReturnType<typeof createCommandHandler>;
