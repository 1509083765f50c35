import { randomUUID } from 'node:crypto';
import { CommandHandler } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import type { OnboardingCommand } from '../../../events/onboarding/commands';
import { decide } from '../../../events/onboarding/decide';
import type { OnboardingEvent } from '../../../events/onboarding/events';
import { defaultFlow } from '../../../events/onboarding/flows';
import { evolve, initialState, type OnboardingState } from '../../../events/onboarding/state';
import { onboardingStream } from '../../../events/streamNames';
import { createMessageDbEventStore } from '../../../infra/eventStore/messageDbEventStore';
import { createPgSqlClient } from '../../../infra/postgres/pgSqlClient';
import { createMemorySnapshotStore } from '../../../infra/snapshots/memorySnapshotStore';
import { createRestorer } from '../../../services/recovery/restoreSession';
import { createCommandHandler } from '../../../services/sessions/handleCommand';
import { createSessionLoader } from '../../../services/sessions/sessionLoader';

/** What the peers benchmark drives: one store append, one command (read, fold, decide, append). */
export type PeerSubject = Readonly<{
  name: string;
  seed: (sessionId: string, events: readonly OnboardingEvent[]) => Promise<void>;
  append: (sessionId: string, event: OnboardingEvent) => Promise<void>;
  command: (sessionId: string, command: OnboardingCommand) => Promise<void>;
  close: () => Promise<void>;
}>;

const metadata = { correlationId: 'peers', tenantId: 'bench', actor: 'bench' };

/** Waymark: Message DB with group commit, the command handler with its state cache. */
export const waymarkSubject = (url: string): PeerSubject => {
  const sql = createPgSqlClient({
    connectionString: url,
    maxConnections: 20,
    applicationName: 'w',
  });
  const eventStore = createMessageDbEventStore({ sql, groupCommit: { maxEvents: 200 } });
  const tiers = [{ name: 'memory', store: createMemorySnapshotStore(3600) }];
  const loader = createSessionLoader({
    eventStore,
    restore: createRestorer({ eventStore, tiers }),
    takeSnapshot: null,
    cacheSize: 10_000,
    snapshotEvery: 0,
  });
  const handle = createCommandHandler({
    eventStore,
    newId: randomUUID,
    load: loader.load,
    loadForCommand: loader.loadForCommand,
    onCommitted: loader.committed,
  });
  const newEvent = (e: OnboardingEvent) => ({ eventId: randomUUID(), ...e, metadata });
  return {
    name: 'waymark',
    seed: async (id, events) => {
      for (let i = 0; i < events.length; i += 500)
        await eventStore.appendToStream(
          onboardingStream(id),
          events.slice(i, i + 500).map(newEvent),
          {
            expectedVersion: 'any',
          },
        );
    },
    append: async (id, e) =>
      void (await eventStore.appendToStream(onboardingStream(id), [newEvent(e)], {
        expectedVersion: 'any',
      })),
    command: async (id, c) => {
      const ctx = {
        now: new Date(c.metadata.now),
        correlationId: 'peers',
        tenantId: 'bench',
        actor: 'b',
      };
      await handle(id, [c], ctx);
    },
    close: () => sql.close(),
  };
};

/** Emmett 0.42 on PostgreSQL: its event store and CommandHandler around Waymark's decider. */
export const emmettSubject = (url: string): PeerSubject => {
  const store = getPostgreSQLEventStore(url);
  const handle = CommandHandler<OnboardingState, OnboardingEvent>({
    evolve: (state, event) => evolve(state, event),
    initialState,
  });
  return {
    name: 'emmett',
    seed: async (id, events) => {
      for (let i = 0; i < events.length; i += 500)
        await store.appendToStream(onboardingStream(id), events.slice(i, i + 500));
    },
    append: async (id, e) => void (await store.appendToStream(onboardingStream(id), [e])),
    command: async (id, c) =>
      void (await handle(store, onboardingStream(id), (state) => decide(c, state))),
    close: () => store.close(),
  };
};

/** A started session's first event and the command/event the benchmark repeats. */
export const sessionEvents = (sessionId: string, now: Date) => {
  const meta = { now: now.toISOString(), correlationId: 'peers' };
  const start: OnboardingCommand = {
    type: 'StartSession',
    data: {
      sessionId,
      tenantId: 'bench',
      userId: sessionId,
      flow: defaultFlow,
      language: 'en',
      channel: 'web',
      userType: 'standard',
      clientId: null,
    },
    metadata: meta,
  };
  const started = decide(start, null);
  const step = defaultFlow.steps[0] ?? 'x';
  const ask: OnboardingCommand = {
    type: 'AskQuestion',
    data: { step, questionId: 'q1' },
    metadata: meta,
  };
  const asked = decide(ask, evolve(null, started[0] as OnboardingEvent));
  return { started, ask, step, asked: asked[0] as OnboardingEvent };
};
