import { CodedError } from '../../events/codedError';

/** The services a request may need; each outage answers with its own code. */
export type Dependency = 'postgresql' | 'kafka' | 'redis' | 'eventstoredb' | 'identity_provider';

const codes: Readonly<Record<Dependency, string>> = {
  postgresql: 'database_unavailable',
  kafka: 'kafka_unavailable',
  redis: 'redis_unavailable',
  eventstoredb: 'event_store_unavailable',
  identity_provider: 'identity_provider_unavailable',
};

/** Every outage code the API may answer with (503, Retry-After). */
export const outageCodes = [...Object.values(codes), 'dependency_unavailable'];

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
        category:
          dependency === 'kafka'
            ? 'broker'
            : dependency === 'identity_provider'
              ? 'network'
              : 'database',
        retriable: true,
      },
      `${dependency} is unreachable: ${reason}`,
    );
  }
}
