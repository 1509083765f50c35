import { z } from 'zod';
import { anyObject, count, isoDate, sessionIdPath } from '../api/contract/common';
import type { RouteSpec } from '../api/contract/routeSpec';
import { sessionViewSchema } from '../sessions/contract';
import { replayQuery } from './routes';

export const replayRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/dashboard/session-replay/:id/',
    operationId: 'replaySession',
    summary: 'Timeline of a session from its event stream, optionally as it stood at as_of',
    tag: 'dashboard',
    rateLimit: 'session_read',
    params: { id: sessionIdPath },
    query: replayQuery,
    responses: {
      200: {
        description: 'the timeline (personal fields masked)',
        schema: z.strictObject({
          session_id: z.string(),
          as_of: isoDate.nullable(),
          timeline: z.array(
            z.strictObject({
              position: count,
              timestamp: isoDate,
              recorded_at: isoDate,
              event_type: z.string(),
              data: anyObject,
            }),
          ),
          next_position: count.nullable().describe('page on with from_position; null: the end'),
          session_summary: z
            .strictObject({
              started_at: isoDate,
              updated_at: isoDate,
              current_state: z.string(),
              current_step: z.string().nullable(),
              total_events: count,
              duration_minutes: z.number(),
            })
            .nullable(),
          state_as_of: sessionViewSchema.nullable(),
        }),
      },
    },
    errors: ['forbidden', 'session_not_found'],
  },
];
