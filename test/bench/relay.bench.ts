import { ensureTopic } from '../../infra/kafka/createKafka';
import { randomUUID } from 'node:crypto';
import type { OnboardingEvent } from '../../events/onboarding/events';
import { onboardingStream } from '../../events/streamNames';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { sessionHistory, toNewEvents } from '../support/seedEvents';
import { createBenchDatabase } from './lib/benchDatabase';
import { startWaymark } from './lib/processes';
import { benchBrokers, benchKafka, ensureBroker, producerPerformance } from './lib/kafkaBench';
import { median, report } from './lib/report';

/**
 * B4: relay throughput on a pre-seeded backlog (Message DB → Avro → kafkajs, acks=all, one request
 * in flight, checkpoint after each ack) against Kafka's own ProducerPerformance with the same
 * partitions, record size and acks, alternating A/B. Env: BENCH_EVENTS (200000), BENCH_ROUNDS (3),
 * KAFKA_BROKERS (else the script starts the local broker).
 */
const total = Number(process.env.BENCH_EVENTS ?? 200_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const brokers = benchBrokers;
const kafka = benchKafka('bench-relay');

const createTopic = async (topic: string) => {
  await ensureTopic(kafka, topic, 3);
};

const seed = async (store: ReturnType<typeof createMessageDbEventStore>) => {
  const perSession = sessionHistory(randomUUID()).length;
  const sessions = Math.ceil(total / perSession);
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < sessions; i += 1) {
    const id = randomUUID();
    const events: OnboardingEvent[] = sessionHistory(id);
    pending.push(
      store.appendToStream(onboardingStream(id), toNewEvents(events), { expectedVersion: -1 }),
    );
    if (pending.length >= 400) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return sessions * perSession;
};

const relayRound = async (
  db: {
    url: string;
    sql: { query: (t: string, p?: unknown[]) => Promise<Record<string, unknown>[]> };
  },
  events: number,
  lastPosition: number,
) => {
  const topic = `bench.relay.${randomUUID().slice(0, 8)}`;
  await createTopic(topic);
  const relayId = `bench-${randomUUID().slice(0, 8)}`;
  const relay = await startWaymark(
    'services/relay/main.ts',
    {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: topic,
      RELAY_ID: relayId,
      RELAY_BATCH_SIZE: '1000',
      LOG_LEVEL: 'info',
    },
    0,
  );
  const position = async () =>
    Number(
      (
        await db.sql.query('SELECT next_position FROM waymark.reader_positions WHERE reader = $1', [
          `relay:${relayId}`,
        ])
      )[0]?.next_position ?? 1,
    );
  let first: [number, number] | null = null;
  for (;;) {
    const p = await position();
    if (first === null && p > 1) first = [Date.now(), p];
    if (p > lastPosition) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const end = Date.now();
  await relay.stop();
  const [t0, p0] = first ?? [end, 1];
  return ((lastPosition + 1 - p0) / Math.max(1, end - t0)) * 1000 * (events / lastPosition);
};

const producerPerf = async (records: number, recordSize: number) => {
  const topic = `bench.perf.${randomUUID().slice(0, 8)}`;
  await createTopic(topic);
  const summary = await producerPerformance(
    [
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--record-size',
      String(recordSize),
      '--throughput',
      '-1',
    ],
    [],
    0,
  );
  const match = /(\d+) records sent, ([\d.]+) records\/sec/.exec(summary);
  if (!match) throw new Error(`cannot parse ProducerPerformance output: ${summary}`);
  return Number(match[2]);
};

const main = async () => {
  await ensureBroker();
  const db = await createBenchDatabase(`waymark_bench_${randomUUID().slice(0, 8)}`);
  const store = createMessageDbEventStore({ sql: db.sql, groupCommit: { maxEvents: 1000 } });
  console.log(`seeding ${total} events…`);
  const events = await seed(store);
  // What autovacuum would do soon after a bulk load: without statistics the planner reads the
  // whole category and sorts it for every get_category_messages call (250 ms instead of 2 ms here).
  await db.sql.query('ANALYZE message_store.messages');
  const stored = await store.readCategory('onboarding', 1, 2000);
  const codec = createAvroCodec();
  const recordSize = Math.round(
    stored.reduce((sum, e) => sum + codec.encode(e).value.length, 0) / stored.length,
  );
  const lastPosition = Number(
    (await db.sql.query('SELECT max(global_position) AS m FROM message_store.messages'))[0]?.m,
  );
  console.log(`${events} events seeded, average Avro record ${recordSize} bytes`);
  const pairs: { relay: number; perf: number }[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const relay = await relayRound(db, events, lastPosition);
    const perf = await producerPerf(events, recordSize);
    console.log(
      `round ${r + 1}: relay ${relay.toFixed(0)} rec/s, ProducerPerformance ${perf.toFixed(0)} rec/s`,
    );
    pairs.push({ relay, perf });
  }
  await db.drop();
  report(
    'relay',
    { events, recordSize, pairs },
    {
      'B4 relay/ProducerPerformance': {
        value: median(pairs.map((p) => p.relay / p.perf)),
        goal: '>= 0.25 (stretch 0.4)',
      },
    },
  );
};

void main();
