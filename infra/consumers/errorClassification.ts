import { z } from 'zod';
import { CodedError, type FailureCategory } from '../../events/codedError';

export type { FailureCategory } from '../../events/codedError';

/**
 * Failure categories and their retry policies: transient infrastructure errors are retried with
 * capped exponential backoff and jitter; permanent ones (bad data, unknown schema, gaps, bugs)
 * go to the DLQ at once. Classification reads what an error carries (its category, its driver
 * `code`, kafkajs' `retriable`), never its class name.
 */
export type RetryPolicy = Readonly<{
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}>;

const never: RetryPolicy = { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0 };

export const retryPolicies: Readonly<Record<FailureCategory, RetryPolicy>> = {
  database: { maxAttempts: 3, initialDelayMs: 1_000, maxDelayMs: 30_000 },
  network: { maxAttempts: 5, initialDelayMs: 3_000, maxDelayMs: 300_000 },
  timeout: { maxAttempts: 3, initialDelayMs: 2_000, maxDelayMs: 60_000 },
  broker: { maxAttempts: 5, initialDelayMs: 1_000, maxDelayMs: 60_000 },
  validation: never,
  decode: never,
  gap: never,
  bug: never,
  unrecoverable: never,
};

/** Throw this from a handler to send a message straight to the DLQ (as BullMQ's UnrecoverableError). */
export class UnrecoverableError extends CodedError {
  constructor(message: string) {
    super({ code: 'unrecoverable', category: 'unrecoverable' }, message);
  }
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** PostgreSQL SQLSTATE classes: connection, resources, shutdown, serialization and deadlock. */
const postgresCategory = (sqlstate: string): FailureCategory | null => {
  if (/^(08|53|57P0|40001|40P01)/.test(sqlstate)) return 'database';
  if (sqlstate === '57014') return 'timeout';
  if (/^(22|23|42)/.test(sqlstate)) return 'validation';
  return null;
};

/** Driver and system error codes: Node's errno names and PostgreSQL's five-character SQLSTATE. */
const byCode = (code: unknown): FailureCategory | null => {
  if (typeof code !== 'string') return null;
  if (networkCodes.has(code)) return 'network';
  if (code === 'ETIMEDOUT') return 'timeout';
  return code.length === 5 ? postgresCategory(code) : null;
};

export const classifyError = (error: unknown): FailureCategory => {
  if (error instanceof CodedError) return error.category;
  if (error instanceof z.ZodError) return 'validation';
  if (error instanceof SyntaxError) return 'decode';
  const e = (error ?? {}) as { code?: unknown; retriable?: unknown };
  const coded = byCode(e.code);
  if (coded !== null) return coded;
  // kafkajs marks every error it throws with `retriable`: a broker hiccup, or our bug.
  if (typeof e.retriable === 'boolean') return e.retriable ? 'broker' : 'bug';
  return 'bug';
};

/** Exponential backoff with full jitter, capped. */
export const backoffMs = (
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number =>
  Math.round(random() * Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1)));

export const isTransient = (category: FailureCategory): boolean =>
  retryPolicies[category].maxAttempts > 1;
