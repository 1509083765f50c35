import type { NextFunction, Request, Response } from 'express';
import { DomainError, type DomainErrorCode } from '../../../events/onboarding/errors';
import { classifyError } from '../../../infra/consumers/errorClassification';
import { DependencyUnavailableError } from '../../../infra/dependencies/dependencyUnavailable';
import { WrongExpectedVersionError } from '../../../infra/eventStore/eventStore';
import type { Logger } from '../../../infra/observability/logger';
import { AppError, type AppErrorKind } from '../../shared/appError';
import { correlationIdOf } from '../http/context';

/** The one table from what went wrong to its HTTP status. */
export const statusOfKind: Readonly<Record<AppErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  unprocessable: 422,
  too_many: 429,
  unavailable: 503,
  internal: 500,
};

const domainKind: Record<DomainErrorCode, AppErrorKind> = {
  validation_error: 'invalid',
  session_not_found: 'not_found',
  unknown_step: 'unprocessable',
  illegal_state: 'conflict',
  session_ended: 'conflict',
  session_already_exists: 'conflict',
};

/** body-parser's errors carry a `type`; map the client-caused ones to 4xx. */
const bodyParserErrors: Record<string, readonly [AppErrorKind, string, string]> = {
  'entity.parse.failed': ['invalid', 'invalid_json', 'the body is not valid JSON'],
  'entity.too.large': ['too_large', 'payload_too_large', 'the body is larger than allowed'],
  'encoding.unsupported': [
    'unsupported',
    'unsupported_encoding',
    'the content encoding is not supported',
  ],
  'charset.unsupported': ['unsupported', 'unsupported_charset', 'the charset is not supported'],
  'request.aborted': ['invalid', 'request_aborted', 'the request was aborted'],
  'request.size.invalid': ['invalid', 'invalid_request_size', 'the request size does not match'],
};

const toAppError = (error: unknown): AppError | null => {
  if (error instanceof AppError) return error;
  if (error instanceof DomainError)
    return new AppError(domainKind[error.code], error.code, error.message);
  if (error instanceof WrongExpectedVersionError) {
    return new AppError(
      'conflict',
      'wrong_expected_version',
      'the session has changed since the expected version',
      { extra: { current_version: error.currentVersion } },
    );
  }
  const type = (error as { type?: unknown } | null)?.type;
  const mapped = typeof type === 'string' ? bodyParserErrors[type] : undefined;
  return mapped ? new AppError(mapped[0], mapped[1], mapped[2]) : null;
};

/** Seconds a client should wait before retrying a request refused by an outage. */
const outageRetryAfterSeconds = 5;

/**
 * An outage of something the request needed: 503 with its own code. Adapters name the
 * dependency (DependencyUnavailableError); a transient driver error no adapter named (a socket
 * refused, a timeout) is still an outage, of an unnamed dependency; kafkajs' retriable errors are
 * Kafka's.
 */
const outage = (code: string, dependency: string, reason: string) => ({
  app: new AppError('unavailable', code, `${dependency} is unreachable; try again later`, {
    retryAfterSeconds: outageRetryAfterSeconds,
  }),
  dependency,
  reason,
});

const toOutage = (error: unknown): ReturnType<typeof outage> | null => {
  if (error instanceof DependencyUnavailableError)
    return outage(error.code, error.dependency, error.reason);
  if (error instanceof AppError) return null;
  const category = classifyError(error);
  const reason = error instanceof Error ? error.message : String(error);
  // kafkajs marks its retriable errors (broker away, leader moving): Kafka is the dependency.
  if (category === 'broker') return outage('kafka_unavailable', 'kafka', reason);
  if (['database', 'network', 'timeout'].includes(category))
    return outage('dependency_unavailable', 'a dependency', reason);
  return null;
};

/**
 * The one error envelope: { error, detail, field_errors, correlation_id } (+ a few documented extra
 * fields). Unexpected errors answer 500 with a generic detail; their text is logged, never sent.
 */
export const createErrorHandler =
  (logger: Logger) =>
  (error: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const correlationId = correlationIdOf(res);
    const outage = toAppError(error) === null ? toOutage(error) : null;
    const known = toAppError(error) ?? outage?.app ?? null;
    const app = known ?? new AppError('internal', 'internal_error', 'an unexpected error occurred');
    if (outage !== null)
      logger.warn(
        {
          correlationId,
          dependency: outage.dependency,
          reason: outage.reason,
          code: outage.app.code,
        },
        `${outage.dependency} unavailable: answered 503`,
      );
    else if (known === null) logger.error({ correlationId, err: error }, 'unhandled error');
    const status = statusOfKind[app.kind];
    const retryAfter = app.options.retryAfterSeconds ?? (status === 503 ? 5 : undefined);
    if (retryAfter !== undefined && !res.hasHeader('Retry-After'))
      res.setHeader('Retry-After', String(retryAfter));
    res.status(status).json({
      error: app.code,
      detail: app.detail,
      field_errors: app.fieldErrors,
      correlation_id: correlationId,
      ...app.extra,
    });
  };

export const notFound = (_req: Request, _res: Response): never => {
  throw new AppError('not_found', 'not_found', 'no such route');
};
