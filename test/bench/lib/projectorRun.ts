import { ensureTopic } from '../../../infra/kafka/createKafka';
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { RecordedEvent } from '../../../events/envelope';
import { createAvroCodec } from '../../../infra/kafka/avroCodec';
import { createBatchConsumer } from '../../../infra/kafka/batchConsumer';
import { createDeadLetterPublisher, dlqTopic } from '../../../infra/kafka/deadLetters';
import { createLogger } from '../../../infra/observability/logger';
import { createMetrics } from '../../../infra/observability/metrics';
import type { SqlClient } from '../../../infra/postgres/sqlClient';
import type { Projection } from '../../../projections/projection';
import { createSessionSummaryProjection } from '../../../projections/sessionSummary/sessionSummaryProjection';
import { createProjectionHandler } from '../../../services/projector/projectionHandler';
import { sessionHistory } from '../../support/seedEvents';

const codec = createAvroCodec();

/**
 * Fills a topic with `total` Avro events of complete session histories. With `poisonShare`, that
 * share of all events is corrupted, always a session's last event (so no gap tail follows it).
 */
export const fillTopic = async (
  kafka: Kafka,
  topic: string,
  total: number,
  poisonShare = 0,
): Promise<number> => {
  await ensureTopic(kafka, topic, 3);
  const producer = kafka.producer();
  await producer.connect();
  const perSession = sessionHistory(randomUUID()).length;
  const poisonEverySession = poisonShare > 0 ? Math.round(1 / (poisonShare * perSession)) : 0;
  let position = 1;
  let sent = 0;
  let sessions = 0;
  while (sent < total) {
    const messages = [];
    for (let s = 0; s < 625 && sent < total; s += 1) {
      const id = randomUUID();
      sessions += 1;
      const poisoned = poisonEverySession > 0 && sessions % poisonEverySession === 0;
      for (const [i, e] of sessionHistory(id).entries()) {
        const event: RecordedEvent = {
          ...e,
          eventId: randomUUID(),
          streamName: `onboarding-${id}`,
          streamPosition: i,
          globalPosition: position++,
          recordedAt: new Date().toISOString(),
          metadata: { correlationId: 'bench', tenantId: 'tenant-a', actor: 'bench' },
        };
        const corrupt = poisoned && i === perSession - 1;
        messages.push({
          key: id,
          value: corrupt ? Buffer.from('poison') : codec.encode(event).value,
        });
        sent += 1;
      }
    }
    await producer.send({ topic, acks: 1, messages });
  }
  await producer.disconnect();
  return sent;
};

/**
 * Runs the real projector (consumer base + the given projection: by default the session summary
 * alone) over a topic; returns events/s.
 */
export const timeProjector = async (
  kafka: Kafka,
  sql: SqlClient,
  topic: string,
  run: number | Readonly<{ events: number; projection: Projection }>,
): Promise<number> => {
  const { events, projection } =
    typeof run === 'number' ? { events: run, projection: createSessionSummaryProjection() } : run;
  const logger = createLogger('warn');
  const metrics = createMetrics(undefined, false);
  const deadLetters = await createDeadLetterPublisher(kafka);
  const groupId = `bench-${randomUUID().slice(0, 8)}`;
  // As the workers process does at start: the DLQ topic exists before the first dead letter.
  await ensureTopic(kafka, dlqTopic(topic, groupId), 1);
  const consumer = createBatchConsumer({
    kafka,
    sql,
    logger,
    metrics,
    deadLetters,
    groupId,
    topic,
    handle: createProjectionHandler({ projection, codec, metrics }),
  });
  const offsets = async () =>
    Number(
      (
        await sql.query<{ n: string | null }>(
          "SELECT sum(next_position) AS n FROM waymark.reader_positions WHERE reader = $1 AND starts_with(source, 'kafka/')",
          [groupId],
        )
      )[0]?.n ?? 0,
    );
  const started = Date.now();
  await consumer.start();
  while ((await offsets()) < events) await new Promise((r) => setTimeout(r, 100));
  const rate = events / ((Date.now() - started) / 1000);
  await consumer.stop();
  await deadLetters.close();
  return rate;
};
