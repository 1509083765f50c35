import { ensureTopic } from '../../infra/kafka/createKafka';
import { randomUUID } from 'node:crypto';
import { createDeadLetterPublisher, dlqTopic } from '../../infra/kafka/deadLetters';
import { createBenchDatabase } from './lib/benchDatabase';
import { run } from './lib/processes';
import { benchKafka, ensureBroker, producerPerformance } from './lib/kafkaBench';
import { fillTopic, timeProjector } from './lib/projectorRun';
import { percentile, report } from './lib/report';

/**
 * B9: (1) p99 latency of publishing one dead letter (acks=all, one request in flight) at a fixed
 * rate against Kafka's ProducerPerformance at the same rate, record size, acks=all and linger.ms=0;
 * (2) projector throughput on a topic where 1% of events are poison (dead-lettered) against the
 * same volume without poison. Env: BENCH_RATE (200/s), BENCH_RECORDS (2000), BENCH_EVENTS (200000).
 */
const rate = Number(process.env.BENCH_RATE ?? 200);
const records = Number(process.env.BENCH_RECORDS ?? 2000);
const events = Number(process.env.BENCH_EVENTS ?? 200_000);
const kafka = benchKafka('bench-dlq');

const dlqLatencies = async (): Promise<number[]> => {
  const publisher = await createDeadLetterPublisher(kafka);
  const topic = `bench.dlq.${randomUUID().slice(0, 8)}`;
  const value = Buffer.alloc(512, 7);
  await ensureTopic(kafka, dlqTopic(topic, 'bench'), 1);
  const letter = (i: number) => ({
    groupId: 'bench',
    topic,
    partition: 0,
    offset: i,
    key: Buffer.from(randomUUID()),
    value,
    headers: {},
    error: new Error('poison'),
    attempts: 1,
    firstFailedAt: new Date(),
    lastFailedAt: new Date(),
  });
  for (let i = 0; i < 50; i += 1) await publisher.publish([letter(-i)]);
  const latencies: number[] = [];
  const interval = 1000 / rate;
  const start = performance.now();
  for (let i = 0; i < records; i += 1) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    await publisher.publish([letter(i)]);
    // Coordinated omission: latency counts from when the send was due, not when it started.
    latencies.push(performance.now() - Math.min(t, due));
  }
  await publisher.close();
  return latencies;
};

const producerPerformanceP99 = async (): Promise<number> => {
  const topic = `bench.pp.${randomUUID().slice(0, 8)}`;
  await ensureTopic(kafka, topic, 1);
  const summary = await producerPerformance(
    [
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--record-size',
      '512',
      '--throughput',
      String(rate),
    ],
    ['linger.ms=0', 'max.in.flight.requests.per.connection=1'],
    1,
  );
  const match = /(\d+) ms 99th/.exec(summary);
  if (!match) throw new Error(`cannot parse ProducerPerformance output: ${summary}`);
  return Number(match[1]);
};

const main = async () => {
  await run('taskset', ['-cp', '0', String(process.pid)]).catch(() => undefined);
  await ensureBroker();
  const baselineP99 = await producerPerformanceP99();
  const latencies = await dlqLatencies();
  const dlqP99 = percentile(latencies, 99);
  console.log(
    `dead-letter publish p99 ${dlqP99.toFixed(2)} ms (p50 ${percentile(latencies, 50).toFixed(2)}), ProducerPerformance p99 ${baselineP99} ms`,
  );

  const db = await createBenchDatabase(`waymark_bench_${randomUUID().slice(0, 8)}`);
  const clean = `bench.clean.${randomUUID().slice(0, 8)}`;
  const poisoned = `bench.poison.${randomUUID().slice(0, 8)}`;
  await fillTopic(kafka, clean, events);
  await fillTopic(kafka, poisoned, events, 0.01);
  const cleanRate = await timeProjector(kafka, db.sql, clean, events);
  await db.sql.query('TRUNCATE waymark.session_summary_v1');
  const poisonRate = await timeProjector(kafka, db.sql, poisoned, events);
  const dead = Number(
    (
      await db.sql.query<{ n: string }>(
        'SELECT count(*) AS n FROM waymark.session_summary_v1 WHERE status <> $1',
        ['completed'],
      )
    )[0]?.n,
  );
  console.log(
    `projector: ${cleanRate.toFixed(0)} ev/s clean, ${poisonRate.toFixed(0)} ev/s with 1% poison (${dead} sessions left incomplete by poison)`,
  );
  await db.drop();
  report(
    'dlq',
    {
      rate,
      records,
      latencies: { p50: percentile(latencies, 50), p99: dlqP99, max: Math.max(...latencies) },
      baselineP99,
      cleanRate,
      poisonRate,
      events,
    },
    {
      'B9 dead-letter p99/ProducerPerformance p99': {
        value: dlqP99 / Math.max(baselineP99, 1),
        goal: '<= 1.3',
      },
      'B9 throughput with 1% poison/without': { value: poisonRate / cleanRate, goal: '>= 0.9' },
    },
  );
};

void main();
