import { setTimeout as sleep } from 'node:timers/promises';
import { sanitiseError } from '../../infra/kafka/deadLetters';
import { classifyError } from '../../infra/consumers/errorClassification';
import type { EventStore } from '../../infra/eventStore/eventStore';
import type { Logger } from '../../infra/observability/logger';
import type { Metrics } from '../../infra/observability/metrics';
import { createPassOutages } from '../../infra/observability/outageReporter';
import type { DeadLetterRow } from '../../infra/postgres/dlqStore';
import { categorySource, readPosition, savePosition } from '../../infra/postgres/positions';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { streamId } from '../../events/streamNames';
import { storeDeadLetters } from '../dlq/storeDeadLetters';
import type { EventFailure, Projection } from '../../projections/projection';

export const embeddedSourceTopic = 'event-store';

const toRow = (groupId: string, { event, error }: EventFailure): DeadLetterRow => {
  const e = sanitiseError(error);
  const now = new Date().toISOString();
  return {
    groupId,
    sourceTopic: embeddedSourceTopic,
    sourcePartition: 0,
    sourceOffset: event.globalPosition,
    key: streamId(event.streamName),
    value: null,
    headers: {},
    errorCategory: classifyError(error),
    errorType: e.type,
    errorMessage: e.message,
    errorStack: e.stack,
    attempts: 1,
    firstFailedAt: now,
    lastFailedAt: now,
    correlationId: event.metadata.correlationId,
    sessionId: streamId(event.streamName),
    tenantId: event.metadata.tenantId,
    eventType: event.type,
    streamPosition: event.streamPosition,
  };
};

/**
 * Embedded mode (no Kafka): the same projection, fed in-process from the event store's category
 * log. One transaction per batch holds the read-model writes, the dead letters and the feed
 * position, exactly as the Kafka consumer holds its offsets.
 */
export const createEmbeddedFeeder = (
  deps: Readonly<{
    eventStore: EventStore;
    sql: SqlClient;
    projection: Projection;
    logger: Logger;
    groupId: string;
    category: string;
    intervalMs: number;
    maxRetries: number;
    /** DLQ_MAX_QUEUE_SIZE; absent in tools and tests that need no cap. */
    maxQueueSize?: number;
    /** Absent in tools and tests that only need the read model (rebuilds, fixtures). */
    metrics?: Pick<Metrics, 'dlqTaskFailures' | 'dlqEvicted' | 'workerHeartbeat'>;
  }>,
) => {
  let stopping = false;
  const source = categorySource(deps.category);
  /** A feed turn that succeeded is the feed's heartbeat. */
  const beat = (fed: number) => {
    deps.metrics?.workerHeartbeat.set({ worker: deps.groupId }, Date.now() / 1000);
    return fed;
  };
  const feedOnce = async (): Promise<number> => {
    const from = await readPosition(deps.sql, deps.groupId, source, 1);
    const events = await deps.eventStore.readCategory(deps.category, from, 500);
    const last = events.at(-1);
    if (last === undefined) return beat(0);
    const failures = await deps.sql.transaction(async (tx) => {
      const outcome = await deps.projection.applyBatch(tx, events);
      await storeDeadLetters(
        tx,
        outcome.failures.map((f) => toRow(deps.groupId, f)),
        deps,
      );
      await savePosition(tx, deps.groupId, source, last.globalPosition + 1);
      return outcome.failures;
    });
    // Counted after the commit, as the Kafka consumer counts what it dead-lettered.
    for (const { error } of failures)
      deps.metrics?.dlqTaskFailures.inc({
        task_name: deps.groupId,
        error_category: classifyError(error),
      });
    return beat(events.length);
  };
  const outages = createPassOutages(deps.logger);
  const loop = async () => {
    while (!stopping) {
      const fed = await feedOnce()
        .then((n) => {
          outages.passed();
          return n;
        })
        .catch((error: unknown) => {
          outages.failed(error, 'embedded feed failed; retrying');
          return 0;
        });
      if (fed === 0) await sleep(deps.intervalMs);
    }
  };
  let done: Promise<void> = Promise.resolve();
  // Creating a feeder starts nothing: `start` runs the polling loop, `drain` feeds until caught up.
  return {
    feedOnce,
    start: () => {
      done = loop();
    },
    /** Feeds until the read model has caught up with the log (tests, rebuild-like tools). */
    drain: async () => {
      while ((await feedOnce()) > 0);
    },
    stop: async () => {
      stopping = true;
      await done;
    },
  };
};
