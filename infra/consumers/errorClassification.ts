import { UnknownSchemaError } from '../kafka/avroCodec';

/**
 * Error categories and their retry policies, after the original OnboardingBaseTask's table:
 * transient infrastructure errors are retried with capped exponential backoff and jitter;
 * permanent ones (bad data, unknown schema, gaps, bugs) go to the DLQ at once.
 */
export type ErrorCategory =
  | 'database'
  | 'network'
  | 'timeout'
  | 'broker'
  | 'validation'
  | 'decode'
  | 'gap'
  | 'bug'
  | 'unrecoverable';

export type RetryPolicy = Readonly<{
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}>;

const never: RetryPolicy = { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0 };

export const retryPolicies: Readonly<Record<ErrorCategory, RetryPolicy>> = {
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

/** Throw this from a handler to send a message straight to the DLQ (BullMQ's UnrecoverableError). */
export class UnrecoverableError extends Error {
  override name = 'UnrecoverableError';
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const byName: Record<string, ErrorCategory> = {
  UnrecoverableError: 'unrecoverable',
  UnknownSchemaError: 'decode',
  UnknownEventTypeError: 'decode',
  GapError: 'gap',
  BlockedByEarlierFailureError: 'gap',
  DomainError: 'validation',
  ZodError: 'validation',
  TypeError: 'bug',
  ReferenceError: 'bug',
  RangeError: 'bug',
  SyntaxError: 'decode',
};

const postgresCategory = (sqlstate: string): ErrorCategory | null => {
  if (/^(08|53|57P0|40001|40P01)/.test(sqlstate)) return 'database';
  if (sqlstate === '57014') return 'timeout';
  if (/^(22|23|42)/.test(sqlstate)) return 'validation';
  return null;
};

const byCode = (code: string): ErrorCategory | null => {
  if (networkCodes.has(code)) return 'network';
  if (code === 'ETIMEDOUT') return 'timeout';
  return code.length === 5 ? postgresCategory(code) : null;
};

const byKind = (name: string, retriable: boolean | undefined): ErrorCategory | null => {
  if (/timeout/i.test(name)) return 'timeout';
  if (name.startsWith('KafkaJS')) return retriable === false ? 'bug' : 'broker';
  return null;
};

export const classifyError = (error: unknown): ErrorCategory => {
  if (error instanceof UnknownSchemaError) return 'decode';
  const e = (error ?? {}) as { name?: unknown; code?: unknown; retriable?: boolean };
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  return byName[name] ?? byCode(code) ?? byKind(name, e.retriable) ?? 'bug';
};

/** Exponential backoff with full jitter, capped. */
export const backoffMs = (
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number =>
  Math.round(random() * Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1)));

export const isTransient = (category: ErrorCategory): boolean =>
  retryPolicies[category].maxAttempts > 1;
