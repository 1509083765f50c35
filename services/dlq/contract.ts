import { z } from 'zod';
import { anyObject, count, isoDate, percent } from '../api/contract/common';
import type { RouteSpec } from '../api/contract/routeSpec';
import { bulkRetryBody, clearBody, listQuery, retryBody, statsQuery, taskIdParam } from './schemas';

const status = z.enum(['pending', 'retrying', 'resolved', 'failed', 'abandoned']);
const item = {
  task_id: z.string(),
  task_name: z.string().describe('the consumer group that dead-lettered it'),
  correlation_id: z.string().nullable(),
  session_id: z.string().nullable(),
  status,
  category: z.string(),
  error_message: z.string().nullable(),
  retry_count: count,
  max_retries: count,
  created_at: isoDate,
  last_retry_at: isoDate.nullable(),
  next_retry_at: z.null().describe('always null: retries are started by an admin, never scheduled'),
  task_args: z.array(z.unknown()).describe('[session_id, stream_position]'),
  task_kwargs: anyObject,
};
const counts = z.record(z.string(), count);

export const dlqRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/admin/dlq/tasks/',
    operationId: 'listDeadLetters',
    summary: 'Dead letters, newest first, filtered and paged',
    tag: 'dlq',
    rateLimit: 'admin',
    query: listQuery,
    responses: {
      200: {
        description: 'a page',
        schema: z.strictObject({
          count,
          next: z.string().nullable(),
          previous: z.string().nullable(),
          results: z.array(z.strictObject(item)),
        }),
      },
    },
    errors: ['forbidden'],
  },
  {
    method: 'post',
    path: '/admin/dlq/tasks/retry/',
    operationId: 'bulkRetryDeadLetters',
    summary: 'Retry the matching dead letters (dry_run by default)',
    tag: 'dlq',
    rateLimit: 'admin',
    body: bulkRetryBody,
    responses: {
      200: {
        description: 'the matches, and the outcomes unless dry_run',
        schema: z.strictObject({
          dry_run: z.boolean(),
          matching_count: count,
          results: z
            .array(
              z.strictObject({
                task_id: z.string(),
                status: z.string(),
                /** Why an entry was skipped: the code a single retry would answer with. */
                reason: z.string().optional(),
              }),
            )
            .optional(),
        }),
      },
    },
    errors: ['forbidden'],
  },
  {
    method: 'get',
    path: '/admin/dlq/tasks/:id/',
    operationId: 'getDeadLetter',
    summary: 'One dead letter with its error and retry history',
    tag: 'dlq',
    rateLimit: 'admin',
    params: { id: taskIdParam },
    responses: {
      200: {
        description: 'the entry',
        schema: z.strictObject({
          ...item,
          error_type: z.string().nullable(),
          traceback: z.string().nullable(),
          attempts: count,
          first_failed_at: isoDate,
          last_failed_at: isoDate,
          retry_history: z.array(
            z.strictObject({
              attempt: count,
              timestamp: isoDate,
              actor: z.string(),
              outcome: z.string(),
              error: z.string().nullable(),
              retry_after: z
                .null()
                .describe('always null: no retry is scheduled after a failed attempt'),
            }),
          ),
          context: z.strictObject({
            session_id: z.string().nullable(),
            user_id: z
              .null()
              .describe('null: a dead letter keeps no user id (personal data stays in the stream)'),
            client_id: z.string().nullable(),
          }),
        }),
      },
    },
    errors: ['forbidden', 'task_not_found'],
  },
  {
    method: 'post',
    path: '/admin/dlq/tasks/:id/retry/',
    operationId: 'retryDeadLetter',
    summary: 'Retry one dead letter now (re-drives its session from the event store)',
    tag: 'dlq',
    rateLimit: 'admin',
    params: { id: taskIdParam },
    body: retryBody,
    responses: {
      200: {
        description: 'the outcome',
        schema: z.strictObject({
          status: z.string(),
          message: z.string(),
          task_id: z.string(),
          retry_count: count,
          max_retries: count,
          resolved_task_ids: z.array(z.string()),
          error: z.string().nullable(),
          celery_task_id: z
            .null()
            .describe('always null: there is no task queue; the retry ran within this request'),
          estimated_completion: z
            .null()
            .describe('always null: the retry has completed when the answer is sent'),
        }),
      },
    },
    errors: [
      'forbidden',
      'task_not_found',
      'max_retries_exceeded',
      'already_resolved',
      'retry_unavailable',
    ],
  },
  {
    method: 'delete',
    path: '/admin/dlq/tasks/:id/delete/',
    operationId: 'deleteDeadLetter',
    summary: 'Delete one dead letter',
    tag: 'dlq',
    rateLimit: 'admin',
    params: { id: taskIdParam },
    responses: {
      200: {
        description: 'deleted',
        schema: z.strictObject({
          status: z.literal('deleted'),
          message: z.string(),
          task_id: z.string(),
          deleted_at: isoDate,
          deleted: z.literal(true),
        }),
      },
    },
    errors: ['forbidden', 'task_not_found'],
  },
  {
    method: 'get',
    path: '/admin/dlq/stats/',
    operationId: 'deadLetterStats',
    summary: 'Counts of the dead letters created in the last time_range_hours',
    tag: 'dlq',
    rateLimit: 'admin',
    query: statsQuery,
    responses: {
      200: {
        description: 'the statistics',
        schema: z.strictObject({
          total_failed_tasks: count,
          tasks_by_status: counts,
          tasks_by_category: counts,
          tasks_by_name: counts,
          retry_statistics: z.strictObject({
            total_retries: count,
            tasks_retried: count,
            successful_retries: count,
            failed_retries: count,
            success_rate: percent
              .nullable()
              .describe('percent of retry attempts that resolved; null: none yet'),
          }),
          average_retry_count: z.number(),
          oldest_task_age_hours: z.number().nullable(),
          time_range: z.strictObject({ hours: count, start: isoDate, end: isoDate }),
          retention_days: count,
          max_queue_size: count.describe(
            'DLQ_MAX_QUEUE_SIZE: dead letters kept per tenant; beyond it handled entries, then the oldest open ones, are evicted (dlq_tasks_evicted_total)',
          ),
          last_updated: isoDate,
        }),
      },
    },
    errors: ['forbidden'],
  },
  {
    method: 'delete',
    path: '/admin/dlq/clear/',
    operationId: 'clearDeadLetters',
    summary: 'Delete the matching dead letters (superadmin; confirm: true, or dry_run)',
    tag: 'dlq',
    rateLimit: 'admin',
    body: clearBody,
    responses: {
      200: {
        description: 'cleared, or the dry-run count',
        schema: z.union([
          z.strictObject({ dry_run: z.literal(true), matching_count: count }),
          z.strictObject({
            status: z.literal('cleared'),
            message: z.string(),
            deleted_count: count,
            filters_applied: z
              .strictObject({
                status: z.string().optional(),
                category: z.string().optional(),
                task_name: z.string().optional(),
                client_id: z.string().optional(),
                older_than_hours: z.number().optional(),
              })
              .describe('the filters given, as given'),
            cleared_at: isoDate,
          }),
        ]),
      },
    },
    errors: ['forbidden', 'confirmation_required'],
  },
];
