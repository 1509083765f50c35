import { z } from 'zod';
import { outageCodes } from '../../../infra/dependencies/dependencyUnavailable';

/** Every error code the API answers, with its one HTTP status (errorHandler.ts maps kinds). */
export const errorStatus: Readonly<Record<string, number>> = {
  validation_error: 400,
  invalid_json: 400,
  request_aborted: 400,
  invalid_request_size: 400,
  invalid_range: 400,
  unknown_flow: 400,
  confirmation_required: 400,
  malformed_multipart: 400,
  unexpected_file: 400,
  authentication_required: 401,
  invalid_token: 401,
  token_expired: 401,
  forbidden: 403,
  not_found: 404,
  session_not_found: 404,
  task_not_found: 404,
  checkpoint_not_found: 404,
  no_checkpoints_found: 404,
  active_session_exists: 409,
  wrong_expected_version: 409,
  illegal_state: 409,
  session_ended: 409,
  session_already_exists: 409,
  already_resolved: 409,
  retry_unavailable: 409,
  max_retries_exceeded: 409,
  payload_too_large: 413,
  file_too_large: 413,
  too_many_parts: 413,
  checkpoint_too_large: 413,
  image_too_large: 413,
  unsupported_media_type: 415,
  unsupported_encoding: 415,
  unsupported_charset: 415,
  file_type_invalid: 415,
  file_corrupt: 415,
  type_mismatch: 415,
  unknown_step: 422,
  rate_limit_exceeded: 429,
  session_photo_limit: 429,
  session_document_limit: 429,
  session_size_limit: 429,
  burst_limit: 429,
  concurrent_limit: 429,
  rate_limiter_unavailable: 503,
  quota_unavailable: 503,
  // A dependency the request needed is unreachable (errorHandler.ts): 503 with Retry-After.
  ...Object.fromEntries(outageCodes.map((code) => [code, 503])),
  internal_error: 500,
};

/** Codes any authenticated JSON route can answer, whatever it does. */
export const commonErrors = [
  'validation_error',
  'invalid_json',
  'request_aborted',
  'invalid_request_size',
  'authentication_required',
  'invalid_token',
  'token_expired',
  'payload_too_large',
  'unsupported_encoding',
  'unsupported_charset',
  ...outageCodes,
  'internal_error',
];

/** Codes of a rate-limited route. */
export const rateLimitErrors = ['rate_limit_exceeded', 'rate_limiter_unavailable'] as const;

/**
 * The one error envelope (docs: seed-spec §1.3) with the documented extra fields some errors
 * carry. `error` is restricted per route and status in the document.
 */
export const errorEnvelope = (codes: readonly [string, ...string[]]) =>
  z.strictObject({
    error: z.enum(codes),
    detail: z.string().describe('safe to show; never quotes what the caller sent'),
    field_errors: z.record(z.string(), z.array(z.string())),
    correlation_id: z.string(),
    retry_after: z.number().int().optional().describe('seconds (429, 503)'),
    limit_info: z
      .strictObject({
        limit: z.number().int(),
        remaining: z.number().int(),
        reset_time: z.string(),
      })
      .optional(),
    existing_session_id: z.string().optional().describe('409 active_session_exists'),
    session_state: z.string().optional().describe('409 active_session_exists'),
    current_version: z.number().int().optional().describe('409 wrong_expected_version'),
    matching_count: z.number().int().optional().describe('400 confirmation_required'),
    matching_tasks: z.number().int().optional().describe('400 confirmation_required'),
    task_id: z.string().optional(),
    retry_count: z.number().int().optional(),
    max_retries: z.number().int().optional(),
    session_id: z.string().optional(),
    suggestion: z
      .string()
      .optional()
      .describe(
        'a fixed hint chosen by the error code, never model-generated (ERROR_RECOVERY_ENABLE_ML_SUGGESTIONS has no effect)',
      ),
    reason: z.string().optional().describe('429 upload quota refusals'),
    max_bytes: z.number().int().optional().describe('413 checkpoint_too_large'),
    available_versions: z.array(z.number().int()).optional().describe('404 checkpoint_not_found'),
  });
