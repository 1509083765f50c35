import { sessionStateSchemaVersion, type SessionState } from '../../events/onboarding/state';
import type { SnapshotStore } from '../../infra/snapshots/snapshotStore';

/** Snapshot tiers in read order: the fast one first (Redis or memory), the durable one last. */
export type SnapshotTier = Readonly<{ name: string; store: SnapshotStore }>;

/** Which tiers took the snapshot, by tier name (a failed tier is false, never an error). */
export type SnapshotOutcome = Record<string, boolean>;

/**
 * Derives and writes snapshots: the state folded from the store at `position`, to every tier at
 * once. A tier that fails is reported and skipped — a snapshot is an optimisation, the stream
 * already holds everything.
 */
export const createSnapshotter = (tiers: readonly SnapshotTier[], clock: () => Date) => ({
  async take(state: SessionState, position: number): Promise<SnapshotOutcome> {
    const snapshot = {
      sessionId: state.sessionId,
      position,
      schemaVersion: sessionStateSchemaVersion,
      state,
      takenAt: clock().toISOString(),
    };
    const results = await Promise.allSettled(tiers.map((t) => t.store.save(snapshot)));
    return Object.fromEntries(tiers.map((t, i) => [t.name, results[i]?.status === 'fulfilled']));
  },
});

export type Snapshotter = ReturnType<typeof createSnapshotter>;
