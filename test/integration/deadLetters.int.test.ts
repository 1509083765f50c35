import request from 'supertest';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { createBatchConsumer } from '../../infra/kafka/batchConsumer';
import { createKafka } from '../../infra/kafka/createKafka';
import { createDeadLetterPublisher, dlqTopic } from '../../infra/kafka/deadLetters';
import { eventHeaders } from '../../infra/kafka/eventPublisher';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import { createSessionSummaryProjection } from '../../projections/sessionSummary/sessionSummaryProjection';
import { createDlqSinkHandler } from '../../services/dlq/dlqSinkHandler';
import { createProjectionHandler } from '../../services/projector/projectionHandler';
import { bearer, buildTestApp } from '../support/apiHarness';
import { createTopic, testKafka, waitFor } from '../support/kafkaTopic';
import { summaryMismatches } from '../support/readModelCheck';
import { seedSessions } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

type EntryRow = {
  id: string;
  error_category: string;
  status: string;
  session_id: string;
  stream_position: string;
  correlation_id: string;
  tenant_id: string;
  source_offset: string;
  attempts: number;
};

describe('dead letters: a poison event, the DLQ topic, the sink and a retry by re-drive', () => {
  let db: TestDatabase;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => {
    for (const stop of stops) await stop();
    await db.drop();
  });

  it('dead-letters the poison and its session tail, keeps other sessions flowing, and a retry applies it exactly once', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const [poisoned = '', ...healthy] = await seedSessions(store, 4);
    const topic = uniqueName('dlq.events');
    await createTopic(topic, 1);
    const codec = createAvroCodec();
    const producer = testKafka().producer();
    await producer.connect();
    for (const event of await store.readCategory('onboarding', 1, 1000)) {
      const { value } = codec.encode(event);
      const corrupt = event.streamName.endsWith(poisoned) && event.streamPosition === 2;
      await producer.send({
        topic,
        messages: [
          {
            key: event.streamName.slice('onboarding-'.length),
            value: corrupt ? Buffer.from('not avro at all') : value,
            headers: {
              [eventHeaders.correlationId]: 'seed',
              [eventHeaders.tenantId]: 'tenant-a',
              [eventHeaders.eventType]: event.type,
              [eventHeaders.streamPosition]: String(event.streamPosition),
            },
          },
        ],
      });
    }
    await producer.disconnect();

    const logger = createLogger('silent');
    const metrics = createMetrics(undefined, false);
    const kafka = createKafka(
      { brokers: testEnv.kafkaBrokers, clientId: uniqueName('dlq') },
      logger,
    );
    const deadLetters = await createDeadLetterPublisher(kafka);
    const projection = createSessionSummaryProjection();
    const groupId = uniqueName('projector').replace(/_/g, '-');
    await createTopic(dlqTopic(topic, groupId), 1);
    const common = { kafka, sql: db.sql, logger, metrics, deadLetters };
    const projector = createBatchConsumer({
      ...common,
      groupId,
      topic,
      handle: createProjectionHandler({ projection, codec, metrics }),
    });
    const sink = createBatchConsumer({
      ...common,
      groupId: `${groupId}-sink`,
      topic: dlqTopic(topic, groupId),
      handle: createDlqSinkHandler({ maxRetries: 3 }),
    });
    await projector.start();
    await sink.start();
    stops.push(projector.stop, sink.stop, deadLetters.close);

    const entries = () =>
      db.sql.query<EntryRow>('SELECT * FROM waymark.dlq_entries ORDER BY source_offset');
    await waitFor(async () => (await entries()).length === 6, 60_000, 'six dead letters');
    expect(await summaryMismatches(db.sql, store, healthy)).toEqual([]);
    const stored = await entries();
    expect(stored.map((e) => [e.error_category, Number(e.stream_position)])).toEqual([
      ['decode', 2],
      ...[3, 4, 5, 6, 7].map((p) => ['gap', p]),
    ]);
    expect(
      stored.every(
        (e) =>
          e.session_id === poisoned &&
          e.correlation_id === 'seed' &&
          e.tenant_id === 'tenant-a' &&
          e.status === 'pending',
      ),
    ).toBe(true);
    expect((await summaryMismatches(db.sql, store, [poisoned]))[0]).toMatch(/position 1 != 7/);
    // Kafka mode counts what it dead-lettered, by consumer and category.
    const counted = (await metrics.dlqTaskFailures.get()).values.filter(
      (v) => v.labels.task_name === groupId,
    );
    const byCategory = (c: string) =>
      counted.filter((v) => v.labels.error_category === c).reduce((n, v) => n + v.value, 0);
    expect([byCategory('decode'), byCategory('gap')]).toEqual([1, 5]);
    const { app } = buildTestApp(store, { sql: db.sql, env: { PROJECTOR_GROUP_ID: groupId } });
    const admin = await bearer('admin', 'tenant-a');
    const first = stored[0]?.id ?? '';
    const detail = await request(app)
      .get(`/api/v1/onboarding/admin/dlq/tasks/${first}/`)
      .set('Authorization', admin);
    expect(detail.body).toMatchObject({
      task_id: first,
      category: 'decode',
      error_type: 'UnknownSchemaError',
      context: { session_id: poisoned, client_id: 'tenant-a' },
    });
    const res = await request(app)
      .post(`/api/v1/onboarding/admin/dlq/tasks/${first}/retry/`)
      .set('Authorization', admin)
      .send({});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'resolved', retry_count: 1 });
    expect(res.body.resolved_task_ids).toHaveLength(6);
    expect(await summaryMismatches(db.sql, store, [poisoned, ...healthy])).toEqual([]);
    expect((await entries()).every((e) => e.status === 'resolved')).toBe(true);
    expect(
      (
        await request(app)
          .post(`/api/v1/onboarding/admin/dlq/tasks/${first}/retry/`)
          .set('Authorization', admin)
          .send({})
      ).status,
    ).toBe(409);
    const history = await request(app)
      .get(`/api/v1/onboarding/admin/dlq/tasks/${stored[3]?.id ?? ''}/`)
      .set('Authorization', admin);
    expect(history.body.retry_history[0]).toMatchObject({
      attempt: 1,
      outcome: `resolved by re-drive of ${first}`,
    });
    const audit = await db.sql.query<{ action: string; target: string }>(
      'SELECT action, target FROM waymark.audit_log',
    );
    expect(audit).toEqual([{ action: 'dlq.retry', target: first }]);
  });
});
