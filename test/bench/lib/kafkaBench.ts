import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { run } from './processes';
// kafkajs' negative-timeout warning: the same fix as the processes' clients.
import '../../../infra/kafka/requestQueueTimerFix';

/** The broker the Kafka benchmarks use (KAFKA_BROKERS, else the local one they start). */
export const benchBrokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';
export const brokerScript = path.resolve(__dirname, '../../../infra/kafka/broker.sh');

export const benchKafka = (clientId: string): Kafka =>
  new Kafka({ brokers: benchBrokers.split(','), logLevel: logLevel.NOTHING, clientId });

/** Starts the local broker unless KAFKA_BROKERS names one. */
export const ensureBroker = async (): Promise<void> => {
  if (process.env.KAFKA_BROKERS === undefined) await run('bash', [brokerScript, 'start']);
};

/** Runs Kafka's ProducerPerformance (acks=all plus `props`) on CPU `cpu`; returns its summary line. */
export const producerPerformance = async (
  args: readonly string[],
  props: readonly string[],
  cpu: number,
): Promise<string> => {
  const out = await run('taskset', [
    '-c',
    String(cpu),
    'bash',
    brokerScript,
    'tool',
    'org.apache.kafka.tools.ProducerPerformance',
    ...args,
    '--producer-props',
    `bootstrap.servers=${benchBrokers}`,
    'acks=all',
    ...props,
  ]);
  const summary = out
    .split('\n')
    .filter((l) => l.includes('records sent'))
    .at(-1);
  if (summary === undefined) throw new Error(`cannot parse ProducerPerformance output: ${out}`);
  return summary;
};
