import { z } from 'zod';
import type { RouteSpec } from '../api/contract/routeSpec';

const check = z.enum(['pass', 'fail', 'disabled']);
const health = (status: z.ZodType) =>
  z.strictObject({
    status,
    checks: z
      .record(z.string(), check)
      .describe(
        'event_store, database, kafka, redis, rate_limiter (the Redis breaker; open: fail), relay_worker, projector_worker, detector_worker (heartbeats; stale: fail) and celery_workers (the documented name: the workers taken together; Waymark has no Celery)',
      ),
    rate_limiter_breaker: z.enum(['closed', 'open', 'half-open']).nullable(),
    workers: z.record(
      z.string(),
      z.strictObject({
        last_heartbeat_at: z.iso.datetime({ offset: true }).nullable(),
        age_seconds: z.number().nullable(),
      }),
    ),
    timestamp: z.iso.datetime({ offset: true }),
    projections: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  });

export const healthRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/health/',
    operationId: 'getHealth',
    summary: 'Health of the API and what it depends on (no token)',
    tag: 'health',
    auth: false,
    responses: {
      200: {
        description: 'healthy, or degraded (some part fails but writes are accepted)',
        schema: health(z.enum(['healthy', 'degraded'])),
      },
      503: {
        description: 'unhealthy: writes cannot be accepted (the event store is down)',
        schema: health(z.literal('unhealthy')),
      },
    },
  },
  {
    method: 'get',
    path: '/health/quick/',
    operationId: 'getLiveness',
    summary: 'Liveness: the process answers (no dependency asked)',
    tag: 'health',
    auth: false,
    responses: {
      200: {
        description: 'alive',
        schema: z.strictObject({
          status: z.literal('healthy'),
          message: z.string(),
          feature_enabled: z.literal(true).describe('Waymark has no feature flag for onboarding'),
          timestamp: z.iso.datetime({ offset: true }),
        }),
      },
    },
  },
];
