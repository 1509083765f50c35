import type { NextFunction, Request, Response } from 'express';
import type { Principal, Role } from '../../../infra/auth/jwt';
import type { Metrics } from '../../../infra/observability/metrics';
import type { RateDecision, RateLimiter, RatePolicy } from '../../../infra/rateLimit/rateLimiter';
import { principalOf } from '../http/context';
import { AppError } from '../../shared/appError';

export type RateLimitDeps = Readonly<{
  limiter: RateLimiter;
  metrics: Metrics;
  policies: Readonly<{ standard: RatePolicy; staff: RatePolicy; critical: RatePolicy }>;
  /** Every request of a service acting for a user also counts here, per service token. */
  serviceAggregate: RatePolicy;
  /** Overrides of the non-critical policy per role (RATE_LIMITER_ROLE_POLICIES). */
  rolePolicies: Readonly<Partial<Record<Role, RatePolicy>>>;
  criticalResources: readonly string[];
  /** The user a session belongs to (null: no such session), for a service acting on it. */
  ownerOf: (sessionId: string) => Promise<string | null>;
  /** Told of every 429, after the decision (recording it must never delay the answer). */
  onDenied?: (sessionId: unknown, who: Principal, resource: string) => void;
}>;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const externalId = /^[A-Za-z0-9._:@-]{1,128}$/;

/** Users get the standard policy; staff (admins, superadmins, services) the larger staff one. */
const policyFor = (deps: RateLimitDeps, who: Principal, critical: boolean): RatePolicy =>
  critical
    ? deps.policies.critical
    : (deps.rolePolicies[who.role] ??
      (who.role === 'user' ? deps.policies.standard : deps.policies.staff));

/**
 * Whom a request is for: a user is itself; a service acts for the `user_id` it names in the body
 * (session start) or for the owner of the session in the path; otherwise (admins, a service
 * naming no user) nobody, and the caller is counted as itself.
 */
const endUserOf = async (deps: RateLimitDeps, req: Request, who: Principal) => {
  if (who.role === 'user') return who.subject;
  if (who.role !== 'service') return null;
  const named = (req.body as { user_id?: unknown } | undefined)?.user_id;
  if (typeof named === 'string' && externalId.test(named)) return named;
  const id = req.params.id;
  return typeof id === 'string' && uuid.test(id) ? deps.ownerOf(id.toLowerCase()) : null;
};

const setHeaders = (res: Response, policy: RatePolicy, d: RateDecision): void => {
  res.setHeader('RateLimit-Policy', `"${policy.name}";q=${d.limit};w=${policy.durationSeconds}`);
  res.setHeader('RateLimit', `"${policy.name}";r=${d.remaining};t=${d.resetSeconds}`);
  res.setHeader('X-RateLimit-Limit', String(d.limit));
  res.setHeader('X-RateLimit-Remaining', String(d.remaining));
  res.setHeader('X-RateLimit-Reset', String(Math.ceil(Date.now() / 1000) + d.resetSeconds));
};

const unavailable = (res: Response, d: RateDecision) => {
  res.setHeader('Retry-After', String(d.resetSeconds));
  return new AppError(
    'unavailable',
    'rate_limiter_unavailable',
    'rate limiting is unavailable; critical actions are paused',
    { extra: { retry_after: d.resetSeconds } },
  );
};

const tooMany = (res: Response, policy: RatePolicy, d: RateDecision) => {
  res.setHeader('Retry-After', String(d.resetSeconds));
  return new AppError(
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
};

/**
 * Rate limiting on a route: `limit('session_start')`. One atomic decision per request and
 * resource, keyed `tenant:user:resource` for the end user (a service's users each get their own
 * budget) or `tenant:#subject:resource` for a caller acting for nobody. A service acting for a
 * user is counted a second time against its own aggregate budget (`tenant:#subject:*`). The
 * headers are those of the policy that decided. 429 with Retry-After when over a limit; 503 when
 * a critical resource cannot be decided (Redis failing or breaker open: fail closed).
 */
export const createRateLimit = (deps: RateLimitDeps) => {
  const critical = new Set(deps.criticalResources);
  return (resource: string) =>
    async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const who = principalOf(res);
      const isCritical = critical.has(resource);
      const endUser = await endUserOf(deps, req, who);
      const decide = async (key: string, policy: RatePolicy, metric: string) => {
        const d = await deps.limiter.consume(key, policy, isCritical);
        deps.metrics.rateLimiterDecisions.inc({
          resource: metric,
          decision: d.allowed ? 'allowed' : 'denied',
          source: d.source,
        });
        if (d.source === 'unavailable') throw unavailable(res, d);
        return d;
      };
      const policy = policyFor(deps, who, isCritical);
      const key =
        endUser === null
          ? `${who.tenantId}:#${who.subject}:${resource}`
          : `${who.tenantId}:${endUser}:${resource}`;
      let decided = { policy, d: await decide(key, policy, resource) };
      if (decided.d.allowed && who.role === 'service' && endUser !== null) {
        const aggregate = deps.serviceAggregate;
        const d = await decide(`${who.tenantId}:#${who.subject}:*`, aggregate, 'service_aggregate');
        if (!d.allowed) decided = { policy: aggregate, d };
      }
      setHeaders(res, decided.policy, decided.d);
      if (!decided.d.allowed) {
        deps.onDenied?.(req.params.id, who, resource);
        throw tooMany(res, decided.policy, decided.d);
      }
      next();
    };
};

export type RateLimitFactory = ReturnType<typeof createRateLimit>;
