import { CodedError } from '../../events/codedError';

/** The services a request may need; each outage answers with its own code. */
export type Dependency = 'postgresql' | 'kafka' | 'redis' | 'eventstoredb';

const codes: Readonly<Record<Dependency, string>> = {
  postgresql: 'database_unavailable',
  kafka: 'kafka_unavailable',
  redis: 'redis_unavailable',
  eventstoredb: 'event_store_unavailable',
};

/**
 * A dependency could not be reached (refused, reset, timed out, shutting down): nothing is wrong
 * with the request, so it is retriable and the API answers 503 with Retry-After. The adapter
 * that talks to the dependency raises it, because only it knows which dependency failed. The
 * message is the driver's reason (host, port, SQLSTATE text), never a query or a value.
 */
export class DependencyUnavailableError extends CodedError {
  constructor(
    readonly dependency: Dependency,
    readonly reason: string,
  ) {
    super(
      {
        code: codes[dependency],
        category: dependency === 'kafka' ? 'broker' : 'database',
        retriable: true,
      },
      `${dependency} is unreachable: ${reason}`,
    );
  }
}
