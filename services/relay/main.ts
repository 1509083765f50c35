import { loadConfig } from '../../infra/config/loadConfig';
import { openDatabase, openEventStore } from '../../infra/eventStore/openEventStore';
import { readModelMigrationDirs } from '../../projections/migrations';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { createKafka, ensureTopic, untilKafkaReady } from '../../infra/kafka/createKafka';
import { createKafkaEventPublisher } from '../../infra/kafka/eventPublisher';
import { createPublishedTail } from '../../infra/kafka/publishedTail';
import { onShutdown } from '../../infra/lifecycle/shutdown';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { serveWorkerMetrics } from '../../infra/observability/metricsServer';
import { createFencedCategoryCheckpoints, relayReader } from '../../infra/postgres/positions';
import { campaign, leaderGauges, leadershipReport } from '../../infra/lifecycle/leadership';
import { createRelay } from './relay';
import { startHeartbeat } from '../health/heartbeat';

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
  const partitions = await untilKafkaReady(
    'events topic',
    () => ensureTopic(kafka, config.kafka.topic, config.kafka.topicPartitions),
    logger,
  );
  if (partitions < config.kafka.topicPartitions)
    logger.warn(
      { topic: config.kafka.topic, partitions, configured: config.kafka.topicPartitions },
      'the events topic has fewer partitions than configured; it is not grown automatically',
    );
  const publisher = await untilKafkaReady(
    'event producer',
    () => createKafkaEventPublisher({ kafka, topic: config.kafka.topic, codec: createAvroCodec() }),
    logger,
  );
  const metrics = createMetrics();
  const holder = config.leadership.instanceId;
  // One lease per category, named by RELAY_ID: relays sharing a RELAY_ID share its checkpoints
  // and elect one leader per category among them.
  const campaigns = new Map(
    config.relay.categories.map((category) => {
      const name = `relay:${config.relay.relayId}:${category}`;
      const c = campaign({
        sql: database.sql,
        name,
        holder,
        settings: config.leadership,
        logger,
        onChange: leaderGauges(metrics, name, holder),
      });
      return [category, c] as const;
    }),
  );
  const leaseOf = (category: string) => {
    const c = campaigns.get(category);
    if (c === undefined) throw new Error(`no lease for category ${category}`);
    return c;
  };
  const metricsClosers = await serveWorkerMetrics(
    metrics.registry,
    config.metricsPort,
    config.http.host,
    () => leadershipReport([...campaigns.values()], holder),
  );
  const relay = createRelay({
    eventStore: store,
    publisher,
    checkpoints: createFencedCategoryCheckpoints(
      database.sql,
      relayReader(config.relay.relayId),
      (category, tx) => leaseOf(category).assertHeld(tx),
    ),
    logger,
    metrics,
    settings: config.relay,
    leads: (category) => leaseOf(category).isLeader(),
    // A partition gets at most one batch between two checkpoints: one batch deep is enough.
    tail: createPublishedTail(kafka, config.kafka.topic, config.relay.batchSize),
  });
  const running = relay.run();
  const heartbeat = startHeartbeat(
    { sql: database.sql, logger, intervalMs: config.heartbeats.intervalMs },
    'relay',
  );
  onShutdown(
    logger,
    [
      { name: 'relay loop', close: async () => (relay.stop(), await running) },
      {
        name: 'leader leases',
        close: async () => void (await Promise.all([...campaigns.values()].map((c) => c.stop()))),
      },
      ...metricsClosers,
      { name: 'producer', close: () => publisher.close() },
      { name: 'heartbeat', close: heartbeat.stop },
      { name: 'database', close: () => database.sql.close() },
    ],
    config.shutdownTimeoutMs,
  );
  logger.info(
    { topic: config.kafka.topic, relayId: config.relay.relayId, holder },
    'relay running (relays the categories whose leader lease it holds)',
  );
};

main().catch((error: unknown) => {
  process.stderr.write(
    `waymark relay failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
