import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../../../infra/auth/jwt';
import type { Metrics } from '../../../infra/observability/metrics';
import type { RateDecision, RateLimiter, RatePolicy } from '../../../infra/rateLimit/rateLimiter';
import { principalOf } from '../http/context';
import { AppError } from '../../shared/appError';

export type RateLimitDeps = Readonly<{
  limiter: RateLimiter;
  metrics: Metrics;
  policies: Readonly<{ standard: RatePolicy; staff: RatePolicy; critical: RatePolicy }>;
  criticalResources: readonly string[];
  /** Told of every 429, after the decision (recording it must never delay the answer). */
  onDenied?: (sessionId: unknown, who: Principal, resource: string) => void;
}>;

/** Staff (admins, superadmins and services acting for many users) get the larger standard limit. */
const policyFor = (deps: RateLimitDeps, who: Principal, critical: boolean): RatePolicy =>
  critical
    ? deps.policies.critical
    : who.role === 'user'
      ? deps.policies.standard
      : deps.policies.staff;

const setHeaders = (res: Response, policy: RatePolicy, d: RateDecision): void => {
  res.setHeader('RateLimit-Policy', `"${policy.name}";q=${d.limit};w=${policy.durationSeconds}`);
  res.setHeader('RateLimit', `"${policy.name}";r=${d.remaining};t=${d.resetSeconds}`);
  res.setHeader('X-RateLimit-Limit', String(d.limit));
  res.setHeader('X-RateLimit-Remaining', String(d.remaining));
  res.setHeader('X-RateLimit-Reset', String(Math.ceil(Date.now() / 1000) + d.resetSeconds));
};

/**
 * Per user and resource rate limiting: `limit('session_start')` on a route. One atomic decision
 * per request; 429 with Retry-After when over the limit; 503 with Retry-After when a critical
 * resource cannot be decided (Redis failing or breaker open: fail closed).
 */
export const createRateLimit = (deps: RateLimitDeps) => {
  const critical = new Set(deps.criticalResources);
  return (resource: string) =>
    async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const who = principalOf(res);
      const isCritical = critical.has(resource);
      const policy = policyFor(deps, who, isCritical);
      const d = await deps.limiter.consume(
        `${who.tenantId}:${who.subject}:${resource}`,
        policy,
        isCritical,
      );
      deps.metrics.rateLimiterDecisions.inc({
        resource,
        decision: d.allowed ? 'allowed' : 'denied',
        source: d.source,
      });
      if (d.source === 'unavailable') {
        res.setHeader('Retry-After', String(d.resetSeconds));
        throw new AppError(
          'unavailable',
          'rate_limiter_unavailable',
          'rate limiting is unavailable; critical actions are paused',
          {
            extra: { retry_after: d.resetSeconds },
          },
        );
      }
      setHeaders(res, policy, d);
      if (!d.allowed) {
        deps.onDenied?.(req.params.id, who, resource);
        res.setHeader('Retry-After', String(d.resetSeconds));
        throw new AppError(
          'too_many',
          'rate_limit_exceeded',
          `at most ${d.limit} requests per ${policy.durationSeconds} s for this action`,
          {
            extra: {
              retry_after: d.resetSeconds,
              limit_info: {
                limit: d.limit,
                remaining: d.remaining,
                reset_time: new Date(Date.now() + d.resetSeconds * 1000).toISOString(),
              },
            },
          },
        );
      }
      next();
    };
};

export type RateLimitFactory = ReturnType<typeof createRateLimit>;
