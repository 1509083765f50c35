import { createCachedQuery } from '../../../services/analytics/cachedQuery';
import { createMetrics } from '../../../infra/observability/metrics';
import type { ResponseCache } from '../../../infra/redis/responseCache';

/** A ResponseCache that keeps entries in a map and records the TTL of every write. */
const recordingCache = () => {
  const entries = new Map<string, string>();
  const ttls: Array<[string, number]> = [];
  const cache: ResponseCache = {
    get: (key) => Promise.resolve(entries.get(key) ?? null),
    set: (key, value, ttlSeconds) => {
      entries.set(key, value);
      ttls.push([key, ttlSeconds]);
      return Promise.resolve();
    },
  };
  return { cache, ttls };
};

describe('analytics response cache', () => {
  it('keeps a funnel for FUNNEL_ANALYTICS_CACHE_TTL and every other endpoint for ANALYTICS_CACHE_TTL', async () => {
    const { cache, ttls } = recordingCache();
    const cached = createCachedQuery(cache, createMetrics(), {
      seconds: 300,
      byEndpoint: { funnel: 45 },
    });
    await cached('funnel', 'k:funnel', () => Promise.resolve(1));
    await cached('heatmap', 'k:heatmap', () => Promise.resolve(2));
    expect(ttls).toEqual([
      ['k:funnel', 45],
      ['k:heatmap', 300],
    ]);
  });

  it('serves a stored entry without computing it again', async () => {
    const { cache } = recordingCache();
    const cached = createCachedQuery(cache, createMetrics(), { seconds: 60 });
    let computed = 0;
    const compute = () => Promise.resolve(++computed);
    expect(await cached('funnel', 'k', compute)).toBe(1);
    expect(await cached('funnel', 'k', compute)).toBe(1);
    expect(computed).toBe(1);
  });

  it('recomputes a live entry once the read models have moved', async () => {
    const { cache } = recordingCache();
    let version = 'a';
    const cached = createCachedQuery(cache, createMetrics(), { seconds: 60 }, () =>
      Promise.resolve(version),
    );
    let computed = 0;
    const compute = () => Promise.resolve(++computed);
    await cached('funnel', 'k', compute, true);
    version = 'b';
    expect(await cached('funnel', 'k', compute, true)).toBe(2);
  });
});
