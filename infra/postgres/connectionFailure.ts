import { DependencyUnavailableError } from '../dependencies/dependencyUnavailable';

const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
]);

/**
 * SQLSTATEs of a server that is not there for us: class 08 (connection exceptions), 53300 (too
 * many connections), 57P01-57P03 (admin/crash shutdown, cannot connect now: starting up).
 */
const unavailableSqlState = /^(08...|53300|57P0[123])$/;

/** node-postgres reports a lost or never-made connection by message only, without a code. */
const driverMessages =
  /Connection terminated|timeout exceeded when trying to connect|connection timeout|not queryable|Connection refused/i;

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/**
 * True when the error means "PostgreSQL could not be reached", as opposed to a statement that
 * failed (constraint, syntax, conflict). AggregateError: Node's connect to several addresses.
 */
export const isConnectionFailure = (error: unknown): boolean => {
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  const code = codeOf(error);
  if (typeof code === 'string' && (socketCodes.has(code) || unavailableSqlState.test(code)))
    return true;
  return error instanceof Error && driverMessages.test(error.message);
};

/** Rethrows a connection failure as DependencyUnavailableError, anything else as it is. */
export const rethrowUnavailable = (error: unknown): never => {
  if (error instanceof DependencyUnavailableError || !isConnectionFailure(error)) throw error;
  const first: unknown = error instanceof AggregateError ? error.errors[0] : error;
  const code = codeOf(first);
  const message = first instanceof Error ? first.message : String(first);
  throw new DependencyUnavailableError(
    'postgresql',
    typeof code === 'string' ? `${code} ${message}` : message,
  );
};
