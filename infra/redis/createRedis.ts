import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A single Redis (maybe behind Sentinel) or a Redis Cluster: the adapters take either. */
export type RedisClient = Redis | Cluster;

/**
 * ioredis set to fail fast: no offline queue, one retry per request and a short command timeout,
 * so an outage surfaces as errors within milliseconds (breakers and health checks can see it)
 * instead of commands queueing for ever. It reconnects in the background.
 */
const failFast = (commandTimeoutMs: number): RedisOptions => ({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: commandTimeoutMs,
  connectTimeout: 2_000,
  lazyConnect: false,
  // Reconnect quickly (at most every 0.5 s): a restarted Redis is used again within a second.
  retryStrategy: (times) => Math.min(times * 100, 500),
});

export const createRedis = (url: string, commandTimeoutMs = 50): Redis =>
  new Redis(url, failFast(commandTimeoutMs));

type HostPort = Readonly<{ host: string; port: number }>;

export type RedisTopology = Readonly<{
  url: string;
  commandTimeoutMs: number;
  sentinels?: readonly HostPort[] | undefined;
  sentinelMaster: string;
  clusterNodes?: readonly HostPort[] | undefined;
}>;

/** What the URL carries besides the address: credentials, TLS (`rediss://`) and database. */
const fromUrl = (url: string): RedisOptions => {
  const u = new URL(url);
  const db = Number(u.pathname.slice(1));
  return {
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
  };
};

/**
 * The configured Redis: Sentinel (the master named `sentinelMaster`, found again after a
 * failover), Cluster (seed nodes; MOVED/ASK followed by ioredis), or the single URL. Each with
 * the same fail-fast settings.
 */
export const connectRedis = (t: RedisTopology): RedisClient => {
  const options = { ...failFast(t.commandTimeoutMs), ...fromUrl(t.url) };
  if (t.clusterNodes !== undefined)
    return new Cluster([...t.clusterNodes], {
      enableOfflineQueue: false,
      clusterRetryStrategy: (times) => Math.min(times * 100, 500),
      redisOptions: options,
    });
  if (t.sentinels !== undefined)
    return new Redis({ ...options, sentinels: [...t.sentinels], name: t.sentinelMaster });
  return new Redis(t.url, failFast(t.commandTimeoutMs));
};

/**
 * Waits (bounded) for the first connection, so the first requests after start-up do not count as
 * Redis failures. Resolves false if Redis is not ready in time: the process starts anyway and the
 * limiter's breaker and fallback take over.
 */
export const redisReady = (redis: RedisClient, timeoutMs: number): Promise<boolean> =>
  redis.status === 'ready'
    ? Promise.resolve(true)
    : new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        redis.once('ready', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
