import { z } from 'zod';
import type { RouteSpec } from '../api/contract/routeSpec';

const check = z.enum(['pass', 'fail', 'disabled']);

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
        description: 'pass or degraded: writes are accepted',
        schema: z.strictObject({
          status: z.enum(['pass', 'degraded', 'fail']),
          checks: z.record(z.string(), check),
          projections: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
        }),
      },
      503: {
        description: 'fail: writes cannot be accepted (the event store is down)',
        schema: z.strictObject({
          status: z.literal('fail'),
          checks: z.record(z.string(), check),
          projections: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
        }),
      },
    },
  },
];
