import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { fold, sessionStateSchemaVersion } from '../../../events/onboarding/state';
import { onboardingStream } from '../../../events/streamNames';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { createMemorySnapshotStore } from '../../../infra/snapshots/memorySnapshotStore';
import { createRestorer } from '../../../services/recovery/restoreSession';
import { actionsArb, historyOf } from '../../support/arbitraries/sessionHistory';
import { referenceState } from '../../support/oracles/referenceSession';

const metadata = { correlationId: 'c', tenantId: 'tenant-a', actor: 'test' };

describe('restore = snapshot + tail = the reference fold of the whole stream', () => {
  it('holds for every split of 1,000 generated histories (snapshot through JSON)', () => {
    fc.assert(
      fc.property(actionsArb(), fc.nat(), (actions, cut) => {
        const events = historyOf(actions, randomUUID());
        const k = cut % (events.length + 1);
        // The expected state comes from the reference fold, which shares no code with `fold`.
        const whole = referenceState(events);
        const snapshot = JSON.parse(JSON.stringify(fold(events.slice(0, k))));
        expect(fold(events.slice(k), snapshot)).toEqual(whole);
        expect(fold(events)).toEqual(whole);
      }),
      { numRuns: 1000 },
    );
  });

  it('holds through the restorer, from either tier, and ignores foreign or old snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(
        actionsArb(40),
        fc.nat(),
        fc.constantFrom('cache', 'durable', 'none', 'old-schema'),
        async (actions, cut, where) => {
          const sessionId = randomUUID();
          const events = historyOf(actions, sessionId);
          const store = createInMemoryEventStore();
          await store.appendToStream(
            onboardingStream(sessionId),
            events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data, metadata })),
            { expectedVersion: -1 },
          );
          const tiers = [
            { name: 'cache', store: createMemorySnapshotStore(60) },
            { name: 'durable', store: createMemorySnapshotStore(60) },
          ];
          const k = 1 + (cut % events.length);
          const state = fold(events.slice(0, k));
          const tier = tiers.find((t) => t.name === where);
          if (state !== null && (tier !== undefined || where === 'old-schema')) {
            const schemaVersion =
              where === 'old-schema' ? sessionStateSchemaVersion - 1 : sessionStateSchemaVersion;
            await (tier ?? tiers[0])?.store.save({
              sessionId,
              position: k - 1,
              schemaVersion,
              state,
              takenAt: new Date().toISOString(),
            });
          }
          const restored = await createRestorer({ eventStore: store, tiers })(sessionId);
          expect(restored.state).toEqual(referenceState(events));
          expect(restored.version).toBe(events.length - 1);
          expect(restored.source).toBe(
            where === 'none' || where === 'old-schema' ? 'replay' : where,
          );
          if (restored.source !== 'replay') expect(restored.tailLength).toBe(events.length - k);
        },
      ),
      { numRuns: 300 },
    );
  });
});
