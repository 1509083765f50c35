import type { Metrics } from '../../infra/observability/metrics';
import type { ResponseCache } from '../../infra/redis/responseCache';

export type CachedQuery = <T>(
  endpoint: string,
  key: string,
  compute: () => Promise<T>,
) => Promise<T>;

/**
 * Serves an analytics response from the cache, or computes, times and stores it for `ttlSeconds`
 * (ANALYTICS_CACHE_TTL). Keys carry tenant, flow and period, so tenants never share an entry.
 */
export const createCachedQuery = (
  cache: ResponseCache,
  metrics: Metrics,
  ttlSeconds: number,
): CachedQuery => {
  let hits = 0;
  let lookups = 0;
  const count = (hit: boolean) => {
    lookups += 1;
    if (hit) hits += 1;
    metrics.analyticsCacheRequests.inc({ result: hit ? 'hit' : 'miss' });
    metrics.analyticsCacheHitRate.set(hits / lookups);
  };
  return async <T>(endpoint: string, key: string, compute: () => Promise<T>): Promise<T> => {
    const cached = await cache.get(key);
    count(cached !== null);
    if (cached !== null) return JSON.parse(cached) as T;
    const done = metrics.analyticsQueryDuration.startTimer({ endpoint });
    const value = await compute();
    done();
    await cache.set(key, JSON.stringify(value), ttlSeconds);
    return value;
  };
};
