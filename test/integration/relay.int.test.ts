import { createInProcessRelay } from '../support/inProcessRelay';
import type { RecordedEvent } from '../../events/envelope';
import { eventHeaders } from '../../infra/kafka/eventPublisher';
import { readTopic } from '../support/kafkaTopic';
import { seedSessions } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

describe('relay: event store → Kafka', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('publishes every stored event once, keyed by session, in stream order, with headers, then checkpoints', async () => {
    const { store, topic, codec, checkpoints, relay, close } = await createInProcessRelay(db, 37);
    const ids = await seedSessions(store, 25);
    while ((await relay.relayOnce('onboarding')) > 0);
    await close();

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
