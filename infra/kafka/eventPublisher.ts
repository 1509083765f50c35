import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { RecordedEvent } from '../../events/envelope';
import { streamId } from '../../events/streamNames';
import type { AvroCodec } from './avroCodec';

/** Publishes store events to Kafka and resolves only once the broker acknowledged all of them. */
export interface EventPublisher {
  publish(events: readonly RecordedEvent[]): Promise<void>;
  close(): Promise<void>;
}

export const eventHeaders = {
  eventId: 'event-id',
  eventType: 'event-type',
  fingerprint: 'schema-fingerprint',
  streamPosition: 'stream-position',
  globalPosition: 'global-position',
  correlationId: 'correlation-id',
  tenantId: 'tenant-id',
} as const;

/**
 * Kafka publisher with the relay's ordering rules: key = session id (one partition per session),
 * acks = all, and at most one request in flight, so a retried batch can never overtake a newer
 * one. kafkajs's idempotent producer is marked experimental, so we do not rely on it: retries may
 * duplicate, consumers dedupe by (session, stream position).
 */
export const createKafkaEventPublisher = async (
  deps: Readonly<{ kafka: Kafka; topic: string; codec: AvroCodec }>,
): Promise<EventPublisher> => {
  const producer: Producer = deps.kafka.producer({
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // murmur2 on the key, as the Java client: a session maps to the same partition everywhere.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return {
    publish: async (events) => {
      const messages = events.map((event) => {
        const { value, fingerprint } = deps.codec.encode(event);
        return {
          key: streamId(event.streamName),
          value,
          timestamp: String(Date.parse(event.recordedAt)),
          headers: {
            [eventHeaders.eventId]: event.eventId,
            [eventHeaders.eventType]: event.type,
            [eventHeaders.fingerprint]: fingerprint,
            [eventHeaders.streamPosition]: String(event.streamPosition),
            [eventHeaders.globalPosition]: String(event.globalPosition),
            [eventHeaders.correlationId]: event.metadata.correlationId,
            [eventHeaders.tenantId]: event.metadata.tenantId,
          },
        };
      });
      await producer.send({
        topic: deps.topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages,
      });
    },
    close: () => producer.disconnect(),
  };
};
