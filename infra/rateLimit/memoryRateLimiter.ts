import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateDecision, RateLimiter, RatePolicy } from './rateLimiter';

/**
 * In-process limiter with the same policies: the embedded default (no REDIS_URL) and unit tests.
 * Counts are per process, so behind several API processes the effective limit multiplies.
 */
export const createMemoryRateLimiter = (keyPrefix: string): RateLimiter => {
  const limiters = new Map<string, RateLimiterMemory>();
  return {
    consume: async (key: string, policy: RatePolicy): Promise<RateDecision> => {
      let limiter = limiters.get(policy.name);
      if (limiter === undefined) {
        limiter = new RateLimiterMemory({
          keyPrefix: `${keyPrefix}:${policy.name}`,
          points: policy.points,
          duration: policy.durationSeconds,
        });
        limiters.set(policy.name, limiter);
      }
      let res: RateLimiterRes;
      let allowed = true;
      try {
        res = await limiter.consume(key);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        res = error;
        allowed = false;
      }
      return {
        allowed,
        limit: policy.points,
        remaining: Math.max(0, res.remainingPoints),
        resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
        source: 'fallback',
      };
    },
    breakerState: () => 'closed',
  };
};
