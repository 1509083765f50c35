import type { NextFunction, Request, Response } from 'express';
import { DomainError, type DomainErrorCode } from '../../../events/onboarding/errors';
import { WrongExpectedVersionError } from '../../../infra/eventStore/eventStore';
import type { Logger } from '../../../infra/observability/logger';
import { correlationIdOf } from '../http/context';
import { HttpError } from '../http/httpError';

const domainStatus: Record<DomainErrorCode, number> = {
  validation_error: 400,
  session_not_found: 404,
  unknown_step: 422,
  illegal_state: 409,
  session_ended: 409,
  session_already_exists: 409,
};

/** body-parser's errors carry a `type`; map the client-caused ones to 4xx. */
const bodyParserErrors: Record<string, readonly [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'the body is not valid JSON'],
  'entity.too.large': [413, 'payload_too_large', 'the body is larger than allowed'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'the content encoding is not supported'],
  'charset.unsupported': [415, 'unsupported_charset', 'the charset is not supported'],
  'request.aborted': [400, 'request_aborted', 'the request was aborted'],
  'request.size.invalid': [400, 'invalid_request_size', 'the request size does not match'],
};

const toHttpError = (error: unknown): HttpError | null => {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError)
    return new HttpError(domainStatus[error.code], error.code, error.message);
  if (error instanceof WrongExpectedVersionError) {
    return new HttpError(
      409,
      'wrong_expected_version',
      'the session has changed since the expected version',
      { extra: { current_version: error.currentVersion } },
    );
  }
  const type = (error as { type?: unknown } | null)?.type;
  const mapped = typeof type === 'string' ? bodyParserErrors[type] : undefined;
  return mapped ? new HttpError(mapped[0], mapped[1], mapped[2]) : null;
};

/**
 * The one error envelope: { error, detail, field_errors, correlation_id } (+ a few documented extra
 * fields). Unexpected errors answer 500 with a generic detail; their text is logged, never sent.
 */
export const createErrorHandler =
  (logger: Logger) =>
  (error: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const correlationId = correlationIdOf(res);
    const known = toHttpError(error);
    const http = known ?? new HttpError(500, 'internal_error', 'an unexpected error occurred');
    if (known === null) logger.error({ correlationId, err: error }, 'unhandled error');
    if (http.status === 503 && !res.hasHeader('Retry-After')) res.setHeader('Retry-After', '5');
    res.status(http.status).json({
      error: http.code,
      detail: http.detail,
      field_errors: http.fieldErrors,
      correlation_id: correlationId,
      ...http.extra,
    });
  };

export const notFound = (_req: Request, _res: Response): never => {
  throw new HttpError(404, 'not_found', 'no such route');
};
