import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { OnboardingEvent } from '../../../events/onboarding/events';
import { fold } from '../../../events/onboarding/state';
import { onboardingStream } from '../../../events/streamNames';
import type { EventStore } from '../../../infra/eventStore/eventStore';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { createMemorySnapshotStore } from '../../../infra/snapshots/memorySnapshotStore';
import { createRestorer } from '../../../services/recovery/restoreSession';
import { createSnapshotter } from '../../../services/recovery/snapshotter';
import {
  createCommandHandler,
  type CommandHandler,
  type SessionIntent,
} from '../../../services/sessions/handleCommand';
import {
  createSessionLoader,
  type CachedSessionLoader,
} from '../../../services/sessions/sessionLoader';
import { actionsArb, historyOf } from '../../support/arbitraries/sessionHistory';
import { at } from '../../support/builders/onboarding';

const metadata = { correlationId: 'c', tenantId: 'tenant-a', actor: 'test' };
const ctx = { now: new Date(at(5000)), correlationId: 'cmd', tenantId: 'tenant-a', actor: 'test' };

const append = (store: EventStore, sessionId: string, events: readonly OnboardingEvent[]) =>
  events.length === 0
    ? Promise.resolve()
    : store.appendToStream(
        onboardingStream(sessionId),
        events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data, metadata })),
        { expectedVersion: 'any' },
      );

/** What a command decided, comparable across handlers: the events and version, or the refusal. */
const outcome = (handle: CommandHandler, sessionId: string, intent: SessionIntent) =>
  handle(sessionId, [intent], ctx).then(
    (r) => ({ version: r.version, events: r.events }),
    (error: unknown) => ({ refused: (error as { code?: string }).code ?? String(error) }),
  );

/** A cached loader (no snapshots) over a store whose stream reads are counted by start position. */
const cachedOver = (store: EventStore) => {
  const reads: number[] = [];
  const counting: EventStore = {
    ...store,
    readStream: (name, options) => (
      reads.push(options?.fromPosition ?? 0),
      store.readStream(name, options)
    ),
  };
  const loader = createSessionLoader({
    eventStore: counting,
    restore: createRestorer({ eventStore: counting, tiers: [] }),
    takeSnapshot: null,
    cacheSize: 8,
    snapshotEvery: 0,
  });
  return { reads, counting, loader };
};

/** The handler as the API wires it: a cached session's command decides without reading. */
const cachedHandler = (eventStore: EventStore, loader: CachedSessionLoader) =>
  createCommandHandler({
    eventStore,
    newId: randomUUID,
    load: loader.load,
    loadForCommand: loader.loadForCommand,
    onCommitted: loader.committed,
  });

describe('command path: snapshot + tail (or cache + tail) decides as the full fold does', () => {
  it('gives the same decisions, versions and state for every split of generated histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          actions: actionsArb(40),
          cut: fc.nat(),
          cacheCut: fc.nat(),
          where: fc.constantFrom('snapshot', 'cache', 'both', 'none'),
          snapshotEvery: fc.integer({ min: 0, max: 5 }),
          commands: actionsArb(6),
          // Decide first on the cached state without reading (stale after "another process"
          // appended): the append's version check must send it back to a load.
          unchecked: fc.boolean(),
        }),
        async ({ actions, cut, cacheCut, where, snapshotEvery, commands, unchecked }) => {
          const sessionId = randomUUID();
          const events = historyOf(actions, sessionId);
          const full = createInMemoryEventStore();
          const split = createInMemoryEventStore();
          const tiers = [{ name: 'memory', store: createMemorySnapshotStore(60) }];
          const snapshotter = createSnapshotter(tiers, () => new Date(at(5000)));
          const loader = createSessionLoader({
            eventStore: split,
            restore: createRestorer({ eventStore: split, tiers }),
            takeSnapshot: (s, p) => snapshotter.take(s, p),
            cacheSize: where === 'snapshot' || where === 'none' ? 0 : 8,
            snapshotEvery,
          });
          // The cache is warmed at one point of the history, the rest appended "by another
          // process"; the snapshot is taken at another point.
          const c = 1 + (cacheCut % events.length);
          await append(split, sessionId, events.slice(0, c));
          if (where === 'cache' || where === 'both') await loader.load(sessionId);
          await append(split, sessionId, events.slice(c));
          await append(full, sessionId, events);
          const k = 1 + (cut % events.length);
          const snapState = fold(events.slice(0, k));
          if ((where === 'snapshot' || where === 'both') && snapState !== null) {
            await snapshotter.take(snapState, k - 1);
          }
          const handleFull = createCommandHandler({ eventStore: full, newId: randomUUID });
          const handleSplit = createCommandHandler({
            eventStore: split,
            newId: randomUUID,
            load: loader.load,
            ...(unchecked ? { loadForCommand: loader.loadForCommand } : {}),
            onCommitted: loader.committed,
          });
          for (const intent of commands as SessionIntent[]) {
            const expected = await outcome(handleFull, sessionId, intent);
            expect(await outcome(handleSplit, sessionId, intent)).toEqual(expected);
          }
          const whole = await full.readStream(onboardingStream(sessionId));
          expect(await loader.load(sessionId)).toEqual({
            state: fold(
              whole.events.map((e) => ({ type: e.type, data: e.data }) as OnboardingEvent),
            ),
            version: whole.version,
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads only the tail after the first load (never the whole stream again)', async () => {
    const sessionId = randomUUID();
    const store = createInMemoryEventStore();
    const events = historyOf(
      Array.from({ length: 30 }, (_, i) => ({
        type: 'AskQuestion',
        data: { step: 'information_collection', questionId: `q${i}` },
      })),
      sessionId,
    );
    await append(store, sessionId, events);
    const { reads, loader } = cachedOver(store);
    await loader.load(sessionId);
    await append(store, sessionId, events.slice(1, 3));
    const second = await loader.load(sessionId);
    expect(reads).toEqual([0, events.length]);
    expect(second.version).toBe(events.length + 1);
  });

  it('decides on a current cache without reading, and on a stale one after one read', async () => {
    const sessionId = randomUUID();
    const store = createInMemoryEventStore();
    const events = historyOf([], sessionId);
    await append(store, sessionId, events);
    const { reads, counting, loader } = cachedOver(store);
    const handle = cachedHandler(counting, loader);
    const ask = (questionId: string): SessionIntent => ({
      type: 'AskQuestion',
      data: { step: 'information_collection', questionId },
    });
    await handle(sessionId, [ask('q1')], ctx); // a miss: restored from the whole stream
    reads.length = 0;
    const current = await handle(sessionId, [ask('q2')], ctx);
    expect(reads).toEqual([]);
    expect(current.version).toBe(events.length + 1);

    // Another process appends: the cached state is now one event behind.
    const other = historyOf([ask('x')], sessionId).slice(1);
    await append(store, sessionId, other);
    const stale = await handle(sessionId, [ask('q3')], ctx);
    expect(reads).toEqual([events.length + 2]);
    expect(stale.version).toBe(events.length + 3);
    const whole = await store.readStream(onboardingStream(sessionId));
    expect(
      whole.events.map((e) => (e.data as { questionId?: string }).questionId).slice(-3),
    ).toEqual(['q2', 'x', 'q3']);
  });

  it('decides again on a load when a stale cache says there is nothing to record', async () => {
    const sessionId = randomUUID();
    const store = createInMemoryEventStore();
    await append(store, sessionId, historyOf([], sessionId));
    const { counting, loader } = cachedOver(store);
    const cached = cachedHandler(counting, loader);
    const other = createCommandHandler({ eventStore: store, newId: randomUUID });
    const save = (checkpointHash: string): SessionIntent => ({
      type: 'SaveCheckpoint',
      data: {
        checkpointHash,
        clientState: '{}',
        dataVersion: 1,
        data: null,
        sizeBytes: 2,
        minIntervalMs: 0,
        force: false,
      },
    });
    await cached(sessionId, [save('h1')], ctx);
    await other(sessionId, [save('h2')], ctx);
    // On the cached state h1 is the latest (nothing to record); on the stream it is h2.
    const again = await cached(sessionId, [save('h1')], ctx);
    expect(again.events.map((e) => e.type)).toEqual(['CheckpointSaved']);
    expect(again.version).toBe(3);
  });
});
