import type { Metrics } from '../../infra/observability/metrics';
import type { ResponseCache } from '../../infra/redis/responseCache';

export type CachedQuery = <T>(
  endpoint: string,
  key: string,
  compute: () => Promise<T>,
) => Promise<T>;

/**
 * Serves an analytics response from the cache, or computes and stores it (the route times both: analytics_query_duration_seconds) for `ttlSeconds`
 * (ANALYTICS_CACHE_TTL). Keys carry tenant, flow and period, so tenants never share an entry.
 */
export const createCachedQuery = (
  cache: ResponseCache,
  metrics: Metrics,
  ttlSeconds: number,
): CachedQuery => {
  // Counters only: the hit ratio over a window is a recording rule
  // (analytics:cache_hit_ratio:rate1h in infra/monitoring/), not a since-start gauge.
  const count = (hit: boolean) =>
    metrics.analyticsCacheRequests.inc({ result: hit ? 'hit' : 'miss' });
  return async <T>(_endpoint: string, key: string, compute: () => Promise<T>): Promise<T> => {
    const cached = await cache.get(key);
    count(cached !== null);
    if (cached !== null) return JSON.parse(cached) as T;
    const value = await compute();
    await cache.set(key, JSON.stringify(value), ttlSeconds);
    return value;
  };
};
