import { CodedError } from '../../events/codedError';

/**
 * What went wrong for the caller, in words a transport maps to its own answer (the API maps each
 * kind to one HTTP status, in one table). Use cases throw these and never know about HTTP.
 */
export type AppErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported'
  | 'unprocessable'
  | 'too_many'
  | 'unavailable'
  | 'internal';

export type AppErrorOptions = Readonly<{
  /** Documented extra fields of the error body (e.g. `existing_session_id`). */
  extra?: Readonly<Record<string, unknown>>;
  /** Per-field messages (never the values sent). */
  fieldErrors?: Readonly<Record<string, string[]>>;
  /** When trying again makes sense (429, 503): becomes Retry-After. */
  retryAfterSeconds?: number;
}>;

/**
 * A refusal with a stable `code` and a `detail` that is safe to show: it never quotes what the
 * caller sent. Only `unavailable` is retriable (the same request may succeed later).
 */
export class AppError extends CodedError {
  constructor(
    readonly kind: AppErrorKind,
    code: string,
    readonly detail: string,
    readonly options: AppErrorOptions = {},
  ) {
    super(
      {
        code,
        category: kind === 'unavailable' ? 'network' : kind === 'internal' ? 'bug' : 'validation',
        retriable: kind === 'unavailable',
      },
      detail,
    );
  }

  get extra(): Readonly<Record<string, unknown>> {
    return this.options.extra ?? {};
  }

  get fieldErrors(): Readonly<Record<string, string[]>> {
    return this.options.fieldErrors ?? {};
  }
}
