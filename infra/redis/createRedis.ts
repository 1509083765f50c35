import { Redis } from 'ioredis';

/**
 * ioredis set to fail fast: no offline queue, one retry per request and a short command timeout,
 * so an outage surfaces as errors within milliseconds (breakers and health checks can see it)
 * instead of commands queueing for ever. It reconnects in the background.
 */
export const createRedis = (url: string): Redis =>
  new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 2_000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
