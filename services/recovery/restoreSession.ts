import {
  fold,
  sessionStateSchemaVersion,
  type OnboardingState,
} from '../../events/onboarding/state';
import { onboardingStream } from '../../events/streamNames';
import type { EventStore } from '../../infra/eventStore/eventStore';
import type { SessionSnapshot } from '../../infra/snapshots/snapshotStore';
import { asOnboardingEvents } from '../sessions/loadSession';
import type { SnapshotTier } from './snapshotter';

export type Restored = Readonly<{
  state: OnboardingState;
  version: number;
  /** The tier the snapshot came from, or 'replay' when the whole stream was folded. */
  source: string;
  tailLength: number;
}>;

/** A snapshot is usable only if it is this session's, of this schema, and self-consistent. */
const usable = (snapshot: SessionSnapshot | null, sessionId: string): snapshot is SessionSnapshot =>
  snapshot !== null &&
  snapshot.sessionId === sessionId &&
  snapshot.schemaVersion === sessionStateSchemaVersion &&
  snapshot.state.eventCount === snapshot.position + 1;

const firstSnapshot = async (tiers: readonly SnapshotTier[], sessionId: string) => {
  for (const tier of tiers) {
    // A tier that is down or holds an unusable snapshot is passed over, never fatal.
    const snapshot = await tier.store.latest(sessionId).catch(() => null);
    if (usable(snapshot, sessionId)) return { snapshot, source: tier.name };
  }
  return null;
};

/**
 * Restores a session as snapshot + the tail of its stream, or by folding the whole stream when
 * no tier has a usable snapshot. The result equals folding the whole stream (property-tested).
 */
export const createRestorer =
  (deps: Readonly<{ eventStore: EventStore; tiers: readonly SnapshotTier[] }>) =>
  async (sessionId: string): Promise<Restored> => {
    const stream = onboardingStream(sessionId);
    const found = await firstSnapshot(deps.tiers, sessionId);
    if (found !== null) {
      const from = found.snapshot.position + 1;
      const tail = await deps.eventStore.readStream(stream, { fromPosition: from });
      // A stream shorter than the snapshot means the snapshot is not of this store: replay.
      if (tail.version >= found.snapshot.position) {
        return {
          state: fold(asOnboardingEvents(tail.events), found.snapshot.state),
          version: tail.version,
          source: found.source,
          tailLength: tail.events.length,
        };
      }
    }
    const { events, version } = await deps.eventStore.readStream(stream);
    return {
      state: fold(asOnboardingEvents(events)),
      version,
      source: 'replay',
      tailLength: events.length,
    };
  };

export type Restorer = ReturnType<typeof createRestorer>;
