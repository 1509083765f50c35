import type { Metrics } from '../../infra/observability/metrics';
import type { ResponseCache } from '../../infra/redis/responseCache';

/**
 * `live`: the period ends now (a default period), so the answer is only reused while the read
 * models have not moved (`dataVersion`); a fixed period is reused for the whole TTL.
 */
export type CachedQuery = <T>(
  endpoint: string,
  key: string,
  compute: () => Promise<T>,
  live?: boolean,
) => Promise<T>;

type Entry = Readonly<{ version: string | null; value: unknown }>;

const parse = (raw: string | null): Entry | null => {
  if (raw === null) return null;
  const entry = JSON.parse(raw) as Partial<Entry> | null;
  // Entries of an older format have no `value`: read as a miss and overwritten.
  return entry !== null && typeof entry === 'object' && 'value' in entry
    ? { version: entry.version ?? null, value: entry.value }
    : null;
};

/** Seconds an entry is kept: `byEndpoint` overrides `seconds` (FUNNEL_ANALYTICS_CACHE_TTL for `funnel`). */
export type CacheTtl = Readonly<{ seconds: number; byEndpoint?: Readonly<Record<string, number>> }>;

/**
 * Serves an analytics response from the cache, or computes and stores it (the route times both:
 * analytics_query_duration_seconds) for the endpoint's TTL (ANALYTICS_CACHE_TTL unless the
 * endpoint has its own). Keys carry tenant, flow and period, so tenants never share an entry.
 * `dataVersion` changes whenever a projection saves its position (with its rows).
 */
export const createCachedQuery = (
  cache: ResponseCache,
  metrics: Metrics,
  ttl: CacheTtl,
  dataVersion: () => Promise<string> = () => Promise.resolve(''),
): CachedQuery => {
  // Counters only: the hit ratio over a window is a recording rule
  // (analytics:cache_hit_ratio:rate1h in infra/monitoring/), not a since-start gauge.
  const count = (hit: boolean) =>
    metrics.analyticsCacheRequests.inc({ result: hit ? 'hit' : 'miss' });
  return async <T>(
    endpoint: string,
    key: string,
    compute: () => Promise<T>,
    live = false,
  ): Promise<T> => {
    const [raw, version] = await Promise.all([cache.get(key), live ? dataVersion() : null]);
    const entry = parse(raw);
    const hit = entry !== null && entry.version === version;
    count(hit);
    if (hit) return entry.value as T;
    const value = await compute();
    await cache.set(
      key,
      JSON.stringify({ version, value }),
      ttl.byEndpoint?.[endpoint] ?? ttl.seconds,
    );
    return value;
  };
};
