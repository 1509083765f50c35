import type { RecordedEvent } from '../../events/envelope';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { createKafka } from '../../infra/kafka/createKafka';
import { createKafkaEventPublisher, eventHeaders } from '../../infra/kafka/eventPublisher';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { createRelayCheckpointStore } from '../../infra/postgres/relayCheckpointStore';
import { createRelay } from '../../services/relay/relay';
import { createTopic, readTopic } from '../support/kafkaTopic';
import { seedSessions } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

describe('relay: event store → Kafka', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('publishes every stored event once, keyed by session, in stream order, with headers, then checkpoints', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const topic = uniqueName('relay.events');
    await createTopic(topic);
    const logger = createLogger('silent');
    const codec = createAvroCodec();
    const publisher = await createKafkaEventPublisher({
      kafka: createKafka({ brokers: testEnv.kafkaBrokers, clientId: 'relay-test' }, logger),
      topic,
      codec,
    });
    const checkpoints = createRelayCheckpointStore(db.sql, uniqueName('relay'));
    const relay = createRelay({
      eventStore: store,
      publisher,
      checkpoints,
      logger,
      metrics: createMetrics(undefined, false),
      settings: { categories: ['onboarding'], batchSize: 37, pollIntervalMs: 10 },
    });
    const ids = await seedSessions(store, 25);
    while ((await relay.relayOnce('onboarding')) > 0);
    await publisher.close();

    const stored = await store.readCategory('onboarding', 1, 10_000);
    expect(stored).toHaveLength(25 * 8);
    expect(await checkpoints.load('onboarding')).toBe((stored.at(-1)?.globalPosition ?? 0) + 1);

    const messages = await readTopic(topic);
    expect(messages).toHaveLength(stored.length);
    const decoded = messages.map((m) => ({ message: m, event: codec.decode(m.value) }));
    expect(new Set(decoded.map((d) => d.event.eventId))).toEqual(
      new Set(stored.map((e) => e.eventId)),
    );
    const byKey = new Map<string, RecordedEvent[]>();
    for (const { message, event } of decoded.sort((a, b) => a.message.offset - b.message.offset)) {
      expect(message.key).toBe(event.streamName.replace('onboarding-', ''));
      expect(message.headers[eventHeaders.eventId]).toBe(event.eventId);
      expect(message.headers[eventHeaders.eventType]).toBe(event.type);
      expect(message.headers[eventHeaders.streamPosition]).toBe(String(event.streamPosition));
      expect(message.headers[eventHeaders.correlationId]).toBe('seed');
      expect(message.headers[eventHeaders.fingerprint]).toBe(
        codec.fingerprintOf(event.type as 'SessionStarted'),
      );
      byKey.set(message.key, [...(byKey.get(message.key) ?? []), event]);
    }
    expect(new Set(byKey.keys())).toEqual(new Set(ids));
    for (const events of byKey.values())
      expect(events.map((e) => e.streamPosition)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
