import { Redis } from 'ioredis';

/**
 * ioredis set to fail fast: no offline queue, one retry per request and a short command timeout,
 * so an outage surfaces as errors within milliseconds (breakers and health checks can see it)
 * instead of commands queueing for ever. It reconnects in the background.
 */
export const createRedis = (url: string, commandTimeoutMs = 50): Redis =>
  new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2_000,
    lazyConnect: false,
    // Reconnect quickly (at most every 0.5 s): a restarted Redis is used again within a second.
    retryStrategy: (times) => Math.min(times * 100, 500),
  });

/**
 * Waits (bounded) for the first connection, so the first requests after start-up do not count as
 * Redis failures. Resolves false if Redis is not ready in time: the process starts anyway and the
 * limiter's breaker and fallback take over.
 */
export const redisReady = (redis: Redis, timeoutMs: number): Promise<boolean> =>
  redis.status === 'ready'
    ? Promise.resolve(true)
    : new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        redis.once('ready', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
