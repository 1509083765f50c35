import type { KafkaMessage } from 'kafkajs';
import type { RecordedEvent } from '../../events/envelope';
import type { AvroCodec } from '../../infra/kafka/avroCodec';
import type { BatchHandler, MessageFailure } from '../../infra/kafka/batchConsumer';
import type { Metrics } from '../../infra/observability/metrics';
import type { Projection } from '../../projections/projection';

/**
 * Adapts a projection to the consumer base: decodes the Avro values (a value that cannot be
 * decoded is a failure of its own), applies the batch through the projection's position guard and
 * maps the projection's failures back to their Kafka messages.
 */
export const createProjectionHandler =
  (deps: Readonly<{ projection: Projection; codec: AvroCodec; metrics: Metrics }>): BatchHandler =>
  async (tx, messages) => {
    const failures: MessageFailure[] = [];
    const events: RecordedEvent[] = [];
    const messageOf = new Map<RecordedEvent, KafkaMessage>();
    for (const message of messages) {
      try {
        const event = deps.codec.decode(message.value ?? Buffer.alloc(0));
        events.push(event);
        messageOf.set(event, message);
      } catch (error) {
        failures.push({ message, error: error as Error });
      }
    }
    const outcome = await deps.projection.applyBatch(tx, events);
    deps.metrics.projectionApplied.inc({ projection: deps.projection.id }, outcome.applied);
    deps.metrics.projectionDuplicates.inc({ projection: deps.projection.id }, outcome.duplicates);
    for (const { event, error } of outcome.failures) {
      const message = messageOf.get(event);
      if (message) failures.push({ message, error });
    }
    return failures;
  };
