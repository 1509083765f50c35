import { loadConfig } from '../../infra/config/loadConfig';
import { openDatabase } from '../../infra/eventStore/openEventStore';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { createBatchConsumer } from '../../infra/kafka/batchConsumer';
import { createKafka, ensureTopic, untilKafkaReady } from '../../infra/kafka/createKafka';
import { createDeadLetterPublisher, dlqTopic } from '../../infra/kafka/deadLetters';
import { onShutdown } from '../../infra/lifecycle/shutdown';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { serveWorkerMetrics } from '../../infra/observability/metricsServer';
import { createLiveProjection } from '../../projections/readModels';
import { readModelMigrationDirs } from '../../projections/migrations';
import { createDlqSinkHandler } from '../dlq/dlqSinkHandler';
import { createModelRepository } from '../risk/modelRepository';
import { createRiskScorer } from '../risk/riskScorer';
import { createProjectionHandler } from './projectionHandler';
import { startHeartbeat } from '../health/heartbeat';
import { startDlqHousekeeping } from '../dlq/housekeeping';

/**
 * Composition root of the workers process: the session-summary projector (Kafka consumer group
 * PROJECTOR_GROUP_ID) and the DLQ sink that keeps its dead letters in PostgreSQL.
 */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel).child({ module: 'workers' });
  if (config.database.url === undefined || config.kafka.brokers === undefined) {
    throw new Error(
      'the workers need DATABASE_URL and KAFKA_BROKERS (embedded mode runs projections inside the API)',
    );
  }
  const database = await openDatabase(config, 'waymark-projector', readModelMigrationDirs, {
    schema: 'await',
    logger,
  });
  const metrics = createMetrics();
  const metricsClosers = await serveWorkerMetrics(
    metrics.registry,
    config.metricsPort,
    config.http.host,
  );
  const kafka = createKafka(
    {
      brokers: config.kafka.brokers,
      clientId: `${config.kafka.clientId}-workers`,
      security: config.kafka.security,
    },
    logger,
  );
  const deadLetters = await untilKafkaReady(
    'dead-letter producer',
    () => createDeadLetterPublisher(kafka),
    logger,
  );
  const projection = createLiveProjection(
    createRiskScorer(createModelRepository(database.sql, config.risk.modelRefreshMs)),
  );
  const common = {
    kafka,
    sql: database.sql,
    logger,
    metrics,
    deadLetters,
    maxRetryWindowMs: config.consumers.maxRetryWindowMs,
    maxBytesPerPartition: config.consumers.maxBytesPerPartition,
    sessionTimeoutMs: config.consumers.sessionTimeoutMs,
  };
  const projector = createBatchConsumer({
    ...common,
    groupId: config.consumers.projectorGroupId,
    topic: config.kafka.topic,
    handle: createProjectionHandler({ projection, codec: createAvroCodec(), metrics }),
  });
  const sink = createBatchConsumer({
    ...common,
    groupId: config.consumers.dlqSinkGroupId,
    topic: dlqTopic(config.kafka.topic, config.consumers.projectorGroupId),
    handle: createDlqSinkHandler({
      maxRetries: config.dlq.maxRetries,
      maxQueueSize: config.dlq.maxQueueSize,
      metrics,
      logger,
    }),
  });
  // Both topics exist before the consumers subscribe: a topic auto-created by a subscription
  // would get the broker's default partition count, not ours. Listed first: createTopics on an
  // existing topic makes kafkajs log "Topic creation errors".
  const partitions = await untilKafkaReady(
    'events topic',
    () => ensureTopic(kafka, config.kafka.topic, config.kafka.topicPartitions),
    logger,
  );
  if (partitions < config.kafka.topicPartitions)
    logger.warn(
      { topic: config.kafka.topic, partitions, configured: config.kafka.topicPartitions },
      'the events topic has fewer partitions than configured: at most that many projectors share the work',
    );
  await untilKafkaReady(
    'dead-letter topic',
    () =>
      ensureTopic(
        kafka,
        dlqTopic(config.kafka.topic, config.consumers.projectorGroupId),
        config.kafka.dlqTopicPartitions,
      ),
    logger,
  );
  await Promise.all([projector.start(), sink.start()]);
  logger.info(
    { projection: projection.id, group: config.consumers.projectorGroupId },
    'workers running',
  );
  // Retention and the dlq_queue_depth gauge: this process owns the dead-letter table.
  const housekeeping = await startDlqHousekeeping({
    sql: database.sql,
    metrics,
    logger,
    retentionDays: config.dlq.retentionDays,
    recoveryLogRetentionDays: config.dlq.recoveryLogRetentionDays,
  });
  const heartbeat = startHeartbeat(
    { sql: database.sql, logger, intervalMs: config.heartbeats.intervalMs },
    'projector',
  );
  onShutdown(
    logger,
    [
      housekeeping,
      ...metricsClosers,
      { name: 'projector', close: projector.stop },
      { name: 'dlq sink', close: sink.stop },
      { name: 'dead letters', close: deadLetters.close },
      { name: 'heartbeat', close: heartbeat.stop },
      { name: 'database', close: () => database.sql.close() },
    ],
    config.shutdownTimeoutMs,
  );
};

main().catch((error: unknown) => {
  process.stderr.write(
    `waymark workers failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
