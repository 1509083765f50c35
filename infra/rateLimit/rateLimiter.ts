/** A limit: `points` requests per `durationSeconds`, per key. */
export type RatePolicy = Readonly<{ name: string; points: number; durationSeconds: number }>;

/**
 * One decision. `source` says who decided: Redis (the shared counter), the in-memory fallback
 * (Redis failing or the breaker open, non-critical resources), or nobody (`unavailable`: critical
 * resources fail closed while Redis cannot decide).
 */
export type RateDecision = Readonly<{
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
  source: 'redis' | 'fallback' | 'unavailable';
}>;

/** The limiter port: atomic check-and-consume of one point for a key under a policy. */
export interface RateLimiter {
  consume(key: string, policy: RatePolicy, critical: boolean): Promise<RateDecision>;
  breakerState(): 'closed' | 'open' | 'half-open';
}
