import { z } from 'zod';
import { count, isoDate, percent, sessionIdPath } from '../api/contract/common';
import type { RouteSpec } from '../api/contract/routeSpec';
import { sessionViewSchema } from '../sessions/contract';
import { checkpointBody, checkpointListQuery, resumeBody } from './schemas';

const ref = {
  session_id: z.string(),
  checkpoint_version: z.number().int(),
  checkpoint_hash: z.string(),
  created_at: isoDate,
};

export const recoveryRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/sessions/:id/checkpoint/',
    operationId: 'createCheckpoint',
    summary: 'Save a checkpoint (skipped within the interval or when unchanged, unless force)',
    tag: 'recovery',
    rateLimit: 'session_recovery',
    params: { id: sessionIdPath },
    body: checkpointBody,
    responses: {
      201: {
        description: 'created',
        schema: z.strictObject({
          status: z.literal('created'),
          ...ref,
          size_bytes: count,
          storage: z
            .record(z.string(), z.boolean())
            .describe(
              'where the snapshot went: event_store (always) and each configured snapshot tier (redis, postgresql, memory); the seed documents {redis, postgresql}',
            ),
          ttl_seconds: count,
        }),
      },
      200: {
        description: 'not stored: interval not elapsed or content unchanged',
        schema: z.strictObject({
          status: z.enum(['skipped', 'unchanged']),
          reason: z.enum(['interval_not_elapsed', 'hash_unchanged']),
          ...ref,
        }),
      },
    },
    errors: [
      'forbidden',
      'session_not_found',
      'session_ended',
      'checkpoint_too_large',
      'wrong_expected_version',
    ],
  },
  {
    method: 'post',
    path: '/sessions/:id/resume/',
    operationId: 'resumeSession',
    summary: 'Resume from a checkpoint (default the latest)',
    tag: 'recovery',
    rateLimit: 'session_recovery',
    params: { id: sessionIdPath },
    body: resumeBody,
    responses: {
      200: {
        description: 'resumed',
        schema: z.strictObject({
          status: z.literal('resumed'),
          session_id: z.string(),
          checkpoint_version: z.number().int(),
          restored_state: z.string(),
          restored_data: z
            .unknown()
            .describe("the checkpoint's data as saved; null after the subject's erasure"),
          data_version: z.number().int(),
          data_erased: z.boolean(),
          checkpoint_age_seconds: count,
          next_action: z.strictObject({
            type: z.enum(['complete_session', 'continue_step', 'enter_step']),
            step: z.string().nullable(),
            description: z.string(),
          }),
          progress_percent: percent,
          restored_from: z.string(),
          session: sessionViewSchema.nullable(),
        }),
      },
    },
    errors: [
      'forbidden',
      'session_not_found',
      'no_checkpoints_found',
      'checkpoint_not_found',
      'session_ended',
      'illegal_state',
      'wrong_expected_version',
    ],
  },
  {
    method: 'get',
    path: '/sessions/:id/checkpoints/',
    operationId: 'listCheckpoints',
    summary: 'Checkpoint history, newest first',
    tag: 'recovery',
    rateLimit: 'session_recovery',
    params: { id: sessionIdPath },
    query: checkpointListQuery,
    responses: {
      200: {
        description: 'the history',
        schema: z.strictObject({
          session_id: z.string(),
          total_checkpoints: count,
          retained_checkpoints: count,
          checkpoints: z.array(
            z.strictObject({
              version: z.number().int(),
              state: z.string(),
              created_at: isoDate,
              checkpoint_hash: z.string(),
              data_version: z.number().int(),
              size_bytes: count,
              data_summary: z
                .null()
                .describe(
                  "null: checkpoint data is sealed with the subject's key, never summarised",
                ),
            }),
          ),
        }),
      },
    },
    errors: ['forbidden', 'session_not_found'],
  },
];
