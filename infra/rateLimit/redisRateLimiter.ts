import CircuitBreaker from 'opossum';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisClient } from '../redis/createRedis';
import type { Metrics } from '../observability/metrics';
import type { RateDecision, RateLimiter, RatePolicy } from './rateLimiter';

export type RedisRateLimiterSettings = Readonly<{
  keyPrefix: string;
  breakerThreshold: number;
  breakerResetMs: number;
  /** While the breaker is open, PING Redis this often and close on the first answer. */
  breakerProbeMs?: number;
  /** Fallback for non-critical resources while Redis cannot decide: per process, per hour. */
  fallbackPerHour: number;
}>;

type Outcome = { res: RateLimiterRes; allowed: boolean };

const decision = (
  policy: RatePolicy,
  o: Outcome,
  source: RateDecision['source'],
): RateDecision => ({
  allowed: o.allowed,
  limit: policy.points,
  remaining: Math.max(0, o.res.remainingPoints),
  resetSeconds: Math.max(1, Math.ceil(o.res.msBeforeNext / 1000)),
  source,
});

/**
 * Redis rate limiter (rate-limiter-flexible: one EVALSHA round trip, atomic check-and-consume)
 * behind one opossum circuit breaker per process. Redis must fail fast (no offline queue, short
 * command timeout) or the breaker never sees the failure. After `breakerThreshold` consecutive
 * Redis failures the breaker opens; after `breakerResetMs` it lets one call through (half-open)
 * and closes on success. Waiting for that alone kept session starts refused for the whole reset
 * time after a 5 s Redis restart, so while open a background PING every `breakerProbeMs` closes
 * the breaker as soon as Redis answers: the reset time is only the upper bound (the probe runs on
 * the same client, so "answers" means this process can reach it). While Redis fails or the breaker is open: critical resources are denied
 * (fail closed), the rest use an in-memory limiter at `fallbackPerHour`.
 */
export const createRedisRateLimiter = (
  redis: RedisClient,
  settings: RedisRateLimiterSettings,
  metrics: Metrics,
): RateLimiter => {
  const limiters = new Map<string, RateLimiterRedis>();
  const fallback = new RateLimiterMemory({
    keyPrefix: `${settings.keyPrefix}:fallback`,
    points: settings.fallbackPerHour,
    duration: 3600,
  });
  const limiterFor = (policy: RatePolicy): RateLimiterRedis => {
    let limiter = limiters.get(policy.name);
    if (limiter === undefined) {
      limiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${settings.keyPrefix}:${policy.name}`,
        points: policy.points,
        duration: policy.durationSeconds,
        rejectIfRedisNotReady: true,
      });
      limiters.set(policy.name, limiter);
    }
    return limiter;
  };
  // "Over the limit" is an answer, not a failure: resolve it so the breaker only counts Redis errors.
  const consumeInRedis = async (key: string, policy: RatePolicy): Promise<Outcome> => {
    try {
      return { res: await limiterFor(policy).consume(key), allowed: true };
    } catch (error) {
      if (error instanceof RateLimiterRes) return { res: error, allowed: false };
      throw error;
    }
  };
  const breaker = new CircuitBreaker(consumeInRedis, {
    timeout: false,
    resetTimeout: settings.breakerResetMs,
    errorThresholdPercentage: 100,
    volumeThreshold: Number.MAX_SAFE_INTEGER,
  });
  let consecutiveFailures = 0;
  breaker.on('success', () => (consecutiveFailures = 0));
  breaker.on('failure', () => {
    consecutiveFailures += 1;
    metrics.rateLimiterCacheFailures.inc();
    if (consecutiveFailures >= settings.breakerThreshold && !breaker.opened) breaker.open();
  });
  const probeMs = settings.breakerProbeMs ?? 1_000;
  let probe: NodeJS.Timeout | null = null;
  const stopProbe = (): void => {
    if (probe !== null) clearInterval(probe);
    probe = null;
  };
  const startProbe = (): void => {
    if (probe !== null) return;
    let inFlight = false;
    probe = setInterval(() => {
      if (inFlight) return;
      inFlight = true;
      redis
        .ping()
        .then(() => {
          consecutiveFailures = 0;
          if (!breaker.closed) breaker.close();
        })
        .catch(() => undefined)
        .finally(() => (inFlight = false));
    }, probeMs);
    // The probe must never keep a process alive that is otherwise done.
    probe.unref();
  };
  breaker.on('open', () => {
    metrics.rateLimiterBreakerOpen.set(1);
    startProbe();
  });
  breaker.on('close', () => {
    metrics.rateLimiterBreakerOpen.set(0);
    stopProbe();
  });

  const consume = async (
    key: string,
    policy: RatePolicy,
    critical: boolean,
  ): Promise<RateDecision> => {
    try {
      return decision(policy, await breaker.fire(key, policy), 'redis');
    } catch {
      if (critical)
        return {
          allowed: false,
          limit: policy.points,
          remaining: 0,
          // The probe may close the breaker any second: advise a short wait, never past the reset.
          resetSeconds: Math.ceil(
            Math.min(settings.breakerResetMs, Math.max(probeMs, 1_000) * 5) / 1000,
          ),
          source: 'unavailable',
        };
      metrics.rateLimiterFallbackHits.inc();
      try {
        return decision(
          { ...policy, points: settings.fallbackPerHour },
          { res: await fallback.consume(`${policy.name}:${key}`), allowed: true },
          'fallback',
        );
      } catch (error) {
        if (error instanceof RateLimiterRes)
          return decision(
            { ...policy, points: settings.fallbackPerHour },
            { res: error, allowed: false },
            'fallback',
          );
        throw error;
      }
    }
  };

  return {
    consume,
    breakerState: () => (breaker.halfOpen ? 'half-open' : breaker.opened ? 'open' : 'closed'),
  };
};
