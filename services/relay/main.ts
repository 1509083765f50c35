import { loadConfig } from '../../infra/config/loadConfig';
import { openDatabase, openEventStore } from '../../infra/eventStore/openEventStore';
import { readModelMigrationDirs } from '../../projections/migrations';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { createKafka, ensureTopic, untilKafkaReady } from '../../infra/kafka/createKafka';
import { createKafkaEventPublisher } from '../../infra/kafka/eventPublisher';
import { onShutdown } from '../../infra/lifecycle/shutdown';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { serveWorkerMetrics } from '../../infra/observability/metricsServer';
import { createCategoryCheckpoints, relayReader } from '../../infra/postgres/positions';
import { createRelay } from './relay';

/**
 * Composition root of the relay process. It needs a shared PostgreSQL (DATABASE_URL) for its
 * checkpoints and the event store, and Kafka (KAFKA_BROKERS): embedded PGlite belongs to one process.
 */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel).child({ module: 'relay' });
  if (config.database.url === undefined || config.kafka.brokers === undefined) {
    throw new Error('the relay needs DATABASE_URL and KAFKA_BROKERS');
  }
  const database = await openDatabase(config, 'waymark-relay', readModelMigrationDirs, {
    schema: 'await',
    logger,
  });
  const { store } = openEventStore(
    { ...config, eventStore: { ...config.eventStore, groupCommit: false } },
    database,
  );
  const kafka = createKafka(
    {
      brokers: config.kafka.brokers,
      clientId: `${config.kafka.clientId}-relay`,
      security: config.kafka.security,
    },
    logger,
  );
  await untilKafkaReady(
    'events topic',
    () => ensureTopic(kafka, config.kafka.topic, config.kafka.topicPartitions),
    logger,
  );
  const publisher = await untilKafkaReady(
    'event producer',
    () => createKafkaEventPublisher({ kafka, topic: config.kafka.topic, codec: createAvroCodec() }),
    logger,
  );
  const metrics = createMetrics();
  const metricsClosers = await serveWorkerMetrics(
    metrics.registry,
    config.metricsPort,
    config.http.host,
  );
  const relay = createRelay({
    eventStore: store,
    publisher,
    checkpoints: createCategoryCheckpoints(database.sql, relayReader(config.relay.relayId)),
    logger,
    metrics,
    settings: config.relay,
  });
  const running = relay.run();
  onShutdown(
    logger,
    [
      { name: 'relay loop', close: async () => (relay.stop(), await running) },
      ...metricsClosers,
      { name: 'producer', close: () => publisher.close() },
      { name: 'database', close: () => database.sql.close() },
    ],
    config.shutdownTimeoutMs,
  );
  logger.info({ topic: config.kafka.topic, relayId: config.relay.relayId }, 'relay running');
};

main().catch((error: unknown) => {
  process.stderr.write(
    `waymark relay failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
