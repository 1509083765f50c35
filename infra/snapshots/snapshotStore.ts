import type { SessionState } from '../../events/onboarding/state';

/**
 * A session's folded state at a stream position (`position` = its last folded event), written
 * under a state-schema version. Snapshots hold no personal data: the state keeps checkpoint
 * references, never the sealed checkpoint data.
 */
export type SessionSnapshot = Readonly<{
  sessionId: string;
  position: number;
  schemaVersion: number;
  state: SessionState;
  takenAt: string;
}>;

/**
 * One snapshot tier (Redis, PostgreSQL, memory). Writes are idempotent; an older snapshot written
 * after a newer one is harmless (restore only replays a longer tail). `latest` returns the newest
 * snapshot whatever its schema version: the restorer decides what it can use.
 */
export interface SnapshotStore {
  save(snapshot: SessionSnapshot): Promise<void>;
  latest(sessionId: string): Promise<SessionSnapshot | null>;
}
