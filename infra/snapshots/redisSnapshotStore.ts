import type { RedisClient } from '../redis/createRedis';
import type { SessionSnapshot, SnapshotStore } from './snapshotStore';

/** The documented key: the newest snapshot of a session, for SESSION_RECOVERY_CHECKPOINT_TTL. */
export const snapshotKey = (sessionId: string): string => `session:checkpoint:${sessionId}`;

/** Redis tier: one plain SET with EX per snapshot (last writer wins; see SnapshotStore). */
export const createRedisSnapshotStore = (
  redis: RedisClient,
  ttlSeconds: number,
): SnapshotStore => ({
  async save(snapshot) {
    await redis.set(snapshotKey(snapshot.sessionId), JSON.stringify(snapshot), 'EX', ttlSeconds);
  },
  async latest(sessionId) {
    const raw = await redis.get(snapshotKey(sessionId));
    return raw === null ? null : (JSON.parse(raw) as SessionSnapshot);
  },
});
