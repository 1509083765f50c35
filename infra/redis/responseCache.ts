import type { RedisClient } from './createRedis';

/**
 * A cache for computed responses. Best effort by design: a Redis error reads as a miss and a
 * failed write is dropped, so analytics keep answering (from PostgreSQL) while Redis is down.
 */
export type ResponseCache = Readonly<{
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}>;

export const createRedisResponseCache = (redis: RedisClient): ResponseCache => ({
  get: (key) => redis.get(key).catch(() => null),
  set: async (key, value, ttlSeconds) => {
    await redis.set(key, value, 'EX', ttlSeconds).catch(() => undefined);
  },
});

/** No cache (embedded mode without Redis): every request is computed. */
export const noResponseCache: ResponseCache = {
  get: () => Promise.resolve(null),
  set: () => Promise.resolve(),
};
