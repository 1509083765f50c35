import { z } from 'zod';
import { dlqStatuses } from '../../infra/postgres/dlqQueries';
import { defaultTimeRangeNote } from '../shared/defaultTimeRange';

const slug = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, _ and - (max 64)');
const id = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits and ._:- (max 128)');
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

/** Filters shared by list, bulk retry and clear. Unknown keys are a 400, not ignored. */
const filterShape = {
  status: z.enum(dlqStatuses).optional(),
  category: slug.optional(),
  task_name: slug.optional(),
  correlation_id: id.optional(),
  session_id: z
    .string()
    .uuid()
    .transform((v) => v.toLowerCase())
    .optional(),
  client_id: id.optional(),
};

export const listQuery = z
  .object({
    ...filterShape,
    page: positiveInt(1_000_000).default(1),
    page_size: positiveInt(100).default(20),
  })
  .strict();

export const statsQuery = z
  .object({
    time_range_hours: positiveInt(24 * 365)
      .optional()
      .describe(`the window in hours; ${defaultTimeRangeNote}`),
    client_id: id.optional(),
  })
  .strict();

/**
 * `override_args` / `override_kwargs` are documented, but a retry re-drives the session from
 * its own event stream (the arguments are the stream): only null (no override) is accepted.
 */
export const retryBody = z
  .object({
    force: z.boolean().default(false),
    override_args: z.null().default(null).describe('must be null: a retry re-drives the stream'),
    override_kwargs: z.null().default(null).describe('must be null: a retry re-drives the stream'),
  })
  .strict();

export const bulkRetryBody = z
  .object({
    ...filterShape,
    force: z.boolean().default(false),
    dry_run: z.boolean().default(true),
    limit: positiveInt(1000).default(100),
  })
  .strict();

export const clearBody = z
  .object({
    status: filterShape.status,
    category: filterShape.category,
    task_name: filterShape.task_name,
    client_id: filterShape.client_id,
    older_than_hours: positiveInt(24 * 3650).optional(),
    confirm: z.boolean().default(false),
    dry_run: z.boolean().default(false),
  })
  .strict();

export const taskIdParam = z
  .string()
  .regex(/^dlq_[0-9a-f]{20}$/, 'a task id looks like dlq_ followed by 20 hex digits');
