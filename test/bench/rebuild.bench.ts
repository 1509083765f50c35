import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { createAvroCodec } from '../../infra/kafka/avroCodec';
import { partitionSource, savePosition } from '../../infra/postgres/positions';
import type { Projection } from '../../projections/projection';
import { testLiveProjection } from '../support/liveProjection';
import { funnelListener } from '../../projections/funnel/funnelProjection';
import { liveFunnelTable } from '../../projections/funnel/funnelTable';
import { createSessionSummaryProjection } from '../../projections/sessionSummary/sessionSummaryProjection';
import { liveSessionSummaryTable } from '../../projections/sessionSummary/sessionSummaryTable';
import { fillTopic, timeProjector } from './lib/projectorRun';
import { createBenchDatabase } from './lib/benchDatabase';
import { run } from './lib/processes';
import { benchBrokers, benchKafka, brokerScript, ensureBroker } from './lib/kafkaBench';
import { report } from './lib/report';

/**
 * B5: rebuilding the session summary from offset 0 of a topic of BENCH_EVENTS (1,000,000) Avro
 * events, through the real consumer base (eachBatch, one transaction per batch holding rows and
 * offsets), against Kafka's own ConsumerPerformance reading the same topic; and eachBatch against
 * one transaction per message (eachMessage) on the first BENCH_PER_MESSAGE (20,000) events.
 */
const total = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const perMessageSample = Number(process.env.BENCH_PER_MESSAGE ?? 20_000);
const brokers = benchBrokers;
const broker = brokerScript;
const kafka = benchKafka('bench-rebuild');
const codec = createAvroCodec();

const consumerPerformance = async (topic: string, messages: number) => {
  const out = await run('taskset', [
    '-c',
    '1',
    'bash',
    broker,
    'tool',
    'org.apache.kafka.tools.ConsumerPerformance',
    '--bootstrap-server',
    brokers,
    '--topic',
    topic,
    '--messages',
    String(messages),
    '--group',
    `perf-${randomUUID().slice(0, 8)}`,
    '--timeout',
    '60000',
  ]);
  const line =
    out
      .trim()
      .split('\n')
      .filter((l) => /^\d{4}-/.test(l))
      .at(-1) ?? '';
  const rate = Number(line.split(',')[5]);
  if (!Number.isFinite(rate)) throw new Error(`cannot parse ConsumerPerformance output: ${out}`);
  return rate;
};

const main = async () => {
  await run('taskset', ['-cp', '0', String(process.pid)]).catch(() => undefined);
  await ensureBroker();
  const topic = `bench.rebuild.${randomUUID().slice(0, 8)}`;
  console.log(`producing ${total} events to ${topic}…`);
  const events = await fillTopic(kafka, topic, total);
  const perf = await consumerPerformance(topic, events);
  console.log(`ConsumerPerformance: ${perf.toFixed(0)} msg/s`);

  // Summary alone, summary + funnel and every read model (+ risk), alternated twice, each run on an empty
  // database of its own; the ratio is of the means, so drift in a shared machine's load and
  // warm-up favour neither side.
  const timed = async (projection: () => Projection) => {
    const fresh = await createBenchDatabase(`waymark_bench_${randomUUID().slice(0, 8)}`);
    const rate = await timeProjector(kafka, fresh.sql, topic, {
      events,
      projection: projection(),
    });
    await fresh.drop();
    return rate;
  };
  const summaryOnly: number[] = [];
  const withFunnel: number[] = [];
  const withAll: number[] = [];
  for (let round = 0; round < 2; round += 1) {
    summaryOnly.push(await timed(() => createSessionSummaryProjection()));
    // What the projector ran before the risk read model: its cost is the gap to withAll.
    withFunnel.push(
      await timed(() =>
        createSessionSummaryProjection(liveSessionSummaryTable, [funnelListener(liveFunnelTable)]),
      ),
    );
    withAll.push(await timed(testLiveProjection));
  }
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const batchRate = mean(summaryOnly);
  const allRate = mean(withAll);
  const funnelRate = mean(withFunnel);
  const shown = (xs: readonly number[]) => xs.map((r) => r.toFixed(0)).join(', ');
  console.log(
    `rebuild (eachBatch, one transaction per batch), summary only: ${shown(summaryOnly)} ev/s`,
  );
  console.log(`rebuild with summary + funnel: ${shown(withFunnel)} ev/s`);
  console.log(`rebuild with every read model (summary + funnel + risk): ${shown(withAll)} ev/s`);

  const db = await createBenchDatabase(`waymark_bench_${randomUUID().slice(0, 8)}`);
  const projection = createSessionSummaryProjection();
  await db.sql.query('TRUNCATE waymark.session_summary_v1');
  const single = kafka.consumer({ groupId: `single-${randomUUID().slice(0, 8)}` });
  await single.connect();
  await single.subscribe({ topic, fromBeginning: true });
  let done = 0;
  const t0 = Date.now();
  const apply = projection.applyBatch;
  await single.run({
    eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
      if (done >= perMessageSample) return;
      const event = codec.decode(message.value ?? Buffer.alloc(0));
      await db.sql.transaction(async (tx) => {
        await apply(tx, [event]);
        await savePosition(
          tx,
          'single',
          partitionSource(topic, partition),
          Number(message.offset) + 1,
        );
      });
      done += 1;
    },
  });
  while (done < perMessageSample) await new Promise((r) => setTimeout(r, 100));
  const messageRate = perMessageSample / ((Date.now() - t0) / 1000);
  await single.disconnect();
  console.log(`eachMessage, one transaction per message: ${messageRate.toFixed(0)} ev/s`);
  await db.drop();
  report(
    'rebuild',
    { events, perf, batchRate, funnelRate, allRate, messageRate, perMessageSample },
    {
      'B5 all read models/summary only': { value: allRate / batchRate, goal: '>= 0.8' },
      "B5 all read models/summary + funnel (the risk model's cost)": {
        value: allRate / funnelRate,
        goal: 'reported',
      },
      'B5 rebuild/ConsumerPerformance': { value: batchRate / perf, goal: '>= 0.15 (stretch 0.25)' },
      'B5 eachBatch/eachMessage': { value: batchRate / messageRate, goal: '>= 3' },
    },
  );
};

void main();
