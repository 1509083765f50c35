import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { createEsdbEventStore } from '../../infra/eventStore/esdbEventStore';
import { eventStoreContract } from '../support/contracts/eventStoreContract';
import { dockerAvailability } from '../support/dockerRuntime';
import { testEnv } from '../support/testEnv';

/**
 * The EventStore contract on EventStoreDB, against (in this order):
 * - the server EVENTSTORE_CONNECTION_STRING names;
 * - else a KurrentDB (EventStoreDB's successor, same gRPC protocol and client) container started
 *   through testcontainers, where a Docker engine is reachable;
 * - else nothing: it is reported as not run, with the reason, as a `todo` (skipped in the
 *   summary) and a line on stderr. A fake server would prove nothing.
 */
const image = testEnv.kurrentDbImage;

const inContainer = async () => {
  const container: StartedTestContainer = await new GenericContainer(image)
    .withExposedPorts(2113)
    .withEnvironment({
      KURRENTDB_CLUSTER_SIZE: '1',
      KURRENTDB_RUN_PROJECTIONS: 'All',
      KURRENTDB_START_STANDARD_PROJECTIONS: 'true',
      KURRENTDB_INSECURE: 'true',
      KURRENTDB_MEM_DB: 'true',
    })
    .withStartupTimeout(120_000)
    .withWaitStrategy(Wait.forHealthCheck())
    .start();
  const store = createEsdbEventStore(
    `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`,
  );
  return {
    store,
    close: async () => {
      await store.close();
      await container.stop();
    },
  };
};

const url = testEnv.esdbConnectionString;
if (url !== undefined) {
  eventStoreContract('EventStoreDB (EVENTSTORE_CONNECTION_STRING)', () => {
    const store = createEsdbEventStore(url);
    return Promise.resolve({ store, close: () => store.close() });
  });
} else {
  const docker = dockerAvailability();
  if (docker.available) {
    eventStoreContract(`EventStoreDB (${image} through testcontainers)`, inContainer);
  } else {
    const why = `no Docker engine reachable: ${docker.reason}; set EVENTSTORE_CONNECTION_STRING or run where Docker is`;
    process.stderr.write(`esdbEventStore: the EventStoreDB contract suite did NOT run (${why})\n`);
    describe('EventStore contract: EventStoreDB — NOT RUN', () => {
      it.todo(`did not run: ${why}`);
    });
  }
}
