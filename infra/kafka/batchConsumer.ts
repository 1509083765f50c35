import { setTimeout as sleep } from 'node:timers/promises';
import type { Batch, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import {
  backoffMs,
  classifyError,
  isTransient,
  retryPolicies,
} from '../consumers/errorClassification';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { partitionSource, readPartitionOffsets, savePosition } from '../postgres/positions';
import type { SqlClient, SqlExecutor } from '../postgres/sqlClient';
import { groupCoordinatorReady, untilKafkaReady } from './createKafka';
import type { DeadLetter, DeadLetterPublisher } from './deadLetters';

export type MessageFailure = Readonly<{ message: KafkaMessage; error: Error }>;

/** A batch handler: writes through tx, returns the messages that failed for good. */
export type BatchHandler = (
  tx: SqlExecutor,
  messages: readonly KafkaMessage[],
) => Promise<readonly MessageFailure[]>;

export type BatchConsumerDeps = Readonly<{
  kafka: Kafka;
  sql: SqlClient;
  logger: Logger;
  metrics: Metrics;
  deadLetters: DeadLetterPublisher;
  groupId: string;
  topic: string;
  handle: BatchHandler;
  /** Longest a batch may be retried before the consumer gives up and restarts (bounded stall). */
  maxRetryWindowMs?: number;
  /** Upper bound of one fetch per partition, hence of a batch (kafkajs default 1 MiB). */
  maxBytesPerPartition?: number;
  /** How long the group waits for a silent member before moving its partitions (kafkajs: 30 s). */
  sessionTimeoutMs?: number;
}>;

/**
 * The consumer base: a consumer defined by a batch
 * handler gets, without boilerplate:
 * - one PostgreSQL transaction per batch holding the handler's writes and the consumer offsets
 *   (effectively-once with an idempotent handler; on (re)join the consumer seeks to them);
 * - dead letters for the messages the handler reports failed (published, acks=all, before commit);
 * - classified retries: a transient batch failure (database, network, broker, timeout) is retried
 *   with capped exponential backoff and jitter, bounded by maxRetryWindowMs, then the consumer
 *   restarts from the stored offsets — an outage never dead-letters healthy events;
 * - a permanent batch failure (a bug or bad data the handler did not catch) splits the batch, so
 *   only the poison message is dead-lettered and the others flow on;
 * - correlation ids in log lines, metrics dlq_task_failures_total / dlq_task_retries_total{outcome}, lag gauges, heartbeat.
 */
export const createBatchConsumer = (deps: BatchConsumerDeps) => {
  const { groupId, topic, sql, metrics } = deps;
  const logger = deps.logger.child({ consumer: groupId, topic });
  const consumer: Consumer = deps.kafka.consumer({
    groupId,
    maxWaitTimeInMs: 200,
    ...(deps.sessionTimeoutMs === undefined
      ? {}
      : { sessionTimeout: deps.sessionTimeoutMs, heartbeatInterval: deps.sessionTimeoutMs / 5 }),
    ...(deps.maxBytesPerPartition === undefined
      ? {}
      : { maxBytesPerPartition: deps.maxBytesPerPartition }),
    retry: { retries: 10 },
  });
  const windowMs = deps.maxRetryWindowMs ?? 60_000;

  const letter = (
    batch: Batch,
    f: MessageFailure,
    attempts: number,
    firstFailedAt: Date,
  ): DeadLetter => ({
    groupId,
    topic,
    partition: batch.partition,
    offset: Number(f.message.offset),
    key: f.message.key,
    value: f.message.value,
    headers: f.message.headers ?? {},
    error: f.error,
    attempts,
    firstFailedAt,
    lastFailedAt: new Date(),
  });

  /** One transaction: handler writes + dead letters + the next offset. */
  const commitSlice = async (
    batch: Batch,
    messages: readonly KafkaMessage[],
    attempts: number,
    since: Date,
  ) => {
    const last = messages.at(-1);
    if (last === undefined) return;
    await sql.transaction(async (tx) => {
      const failures = await deps.handle(tx, messages);
      await deps.deadLetters.publish(failures.map((f) => letter(batch, f, attempts, since)));
      failures.forEach((f) => {
        metrics.dlqTaskFailures.inc({ task_name: groupId, error_category: classifyError(f.error) });
        logger.warn(
          {
            offset: f.message.offset,
            partition: batch.partition,
            category: classifyError(f.error),
            err: f.error.name,
          },
          'dead-lettered',
        );
      });
      await savePosition(
        tx,
        groupId,
        partitionSource(topic, batch.partition),
        Number(last.offset) + 1,
      );
    });
  };

  /** After a permanent batch failure: one message per transaction, poison ones dead-lettered. */
  const processOneByOne = async (batch: Batch, since: Date) => {
    for (const message of batch.messages) {
      try {
        await commitSlice(batch, [message], 1, since);
      } catch (error) {
        if (isTransient(classifyError(error))) throw error;
        await deps.deadLetters.publish([
          letter(batch, { message, error: error as Error }, 1, since),
        ]);
        metrics.dlqTaskFailures.inc({ task_name: groupId, error_category: classifyError(error) });
        await sql.transaction((tx) =>
          savePosition(
            tx,
            groupId,
            partitionSource(topic, batch.partition),
            Number(message.offset) + 1,
          ),
        );
      }
    }
  };

  const processBatch = async (batch: Batch, heartbeat: () => Promise<void>) => {
    const started = Date.now();
    const since = new Date();
    for (let attempt = 1; ; attempt += 1) {
      // Attempts after the first are retries: each is counted once, with how it ended.
      const retried = (outcome: 'success' | 'failure') => {
        if (attempt > 1)
          metrics.dlqTaskRetries.inc({ task_name: groupId, trigger: 'automatic', outcome });
      };
      try {
        await commitSlice(batch, batch.messages, attempt, since);
        retried('success');
        return;
      } catch (error) {
        retried('failure');
        const category = classifyError(error);
        if (!isTransient(category)) return processOneByOne(batch, since);
        if (attempt >= retryPolicies[category].maxAttempts || Date.now() - started > windowMs)
          throw error;
        logger.warn({ attempt, category, partition: batch.partition }, 'batch failed; retrying');
        await sleep(backoffMs(retryPolicies[category], attempt));
        await heartbeat();
      }
    }
  };

  const beat = () => metrics.workerHeartbeat.set({ worker: groupId }, Date.now() / 1000);

  const seekToStoredOffsets = async (partitions: readonly number[]) => {
    const stored = await readPartitionOffsets(sql, groupId, topic);
    for (const partition of partitions) {
      const offset = stored.get(partition);
      if (offset !== undefined) consumer.seek({ topic, partition, offset: String(offset) });
    }
  };

  return {
    start: async (): Promise<void> => {
      await untilKafkaReady(
        `${groupId} coordinator`,
        () => groupCoordinatorReady(deps.kafka, groupId),
        logger,
      );
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      // Alive between batches too: kafkajs heartbeats while the group is idle.
      consumer.on(consumer.events.HEARTBEAT, beat);
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        const assigned = event.payload.memberAssignment[topic] ?? [];
        seekToStoredOffsets(assigned).catch((error: unknown) =>
          logger.error({ err: error }, 'seek failed'),
        );
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async (payload) => {
          const { batch } = payload;
          const last = batch.messages.at(-1);
          if (last === undefined) return;
          await processBatch(batch, () => payload.heartbeat());
          beat();
          payload.resolveOffset(last.offset);
          // Informational only: the authoritative offsets are the ones stored in PostgreSQL.
          await consumer.commitOffsets([
            { topic, partition: batch.partition, offset: String(Number(last.offset) + 1) },
          ]);
          metrics.projectionLagEvents.set(
            { group: groupId, partition: String(batch.partition) },
            Math.max(0, Number(batch.highWatermark) - Number(last.offset) - 1),
          );
          metrics.projectionLagSeconds.set(
            { group: groupId },
            Math.max(0, (Date.now() - Number(last.timestamp)) / 1000),
          );
        },
      });
    },
    stop: () => consumer.disconnect(),
  };
};
