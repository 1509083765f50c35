import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { createKafka } from '../../infra/kafka/createKafka';
import { createKafkaEventPublisher } from '../../infra/kafka/eventPublisher';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { createCategoryCheckpoints, relayReader } from '../../infra/postgres/positions';
import { createRelay } from '../../services/relay/relay';
import { createTopic } from './kafkaTopic';
import type { TestDatabase } from './testDatabase';
import { testEnv } from './testEnv';
import { uniqueName } from './uniqueName';

/** The real relay (Message DB → Avro → Kafka) in this process, on a fresh topic of its own. */
export const createInProcessRelay = async (db: TestDatabase, batchSize: number, partitions = 3) => {
  const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
  const topic = uniqueName('relay.events');
  await createTopic(topic, partitions);
  const logger = createLogger('silent');
  const codec = createAvroCodec();
  const kafka = createKafka(
    { brokers: testEnv.kafkaBrokers, clientId: uniqueName('relay') },
    logger,
  );
  const publisher = await createKafkaEventPublisher({ kafka, topic, codec });
  const checkpoints = createCategoryCheckpoints(db.sql, relayReader(uniqueName('relay')));
  const relay = createRelay({
    eventStore: store,
    publisher,
    checkpoints,
    logger,
    metrics: createMetrics(undefined, false),
    settings: { categories: ['onboarding'], batchSize, pollIntervalMs: 10 },
  });
  return { store, topic, codec, checkpoints, relay, close: () => publisher.close() };
};
