import type { SessionSnapshot, SnapshotStore } from './snapshotStore';

/**
 * In-memory tier for embedded mode (no Redis) and unit tests; passes the same contract suite.
 * Entries expire after `ttlSeconds`, like the Redis tier.
 */
export const createMemorySnapshotStore = (
  ttlSeconds: number,
  clock: () => number = Date.now,
): SnapshotStore => {
  const entries = new Map<string, { json: string; expiresAt: number }>();
  return {
    save(snapshot) {
      entries.set(snapshot.sessionId, {
        json: JSON.stringify(snapshot),
        expiresAt: clock() + ttlSeconds * 1000,
      });
      return Promise.resolve();
    },
    latest(sessionId) {
      const entry = entries.get(sessionId);
      if (entry === undefined || entry.expiresAt <= clock()) {
        entries.delete(sessionId);
        return Promise.resolve(null);
      }
      return Promise.resolve(JSON.parse(entry.json) as SessionSnapshot);
    },
  };
};
