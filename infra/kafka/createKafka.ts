import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync } from 'node:fs';
import {
  Kafka,
  type KafkaConfig,
  type SASLOptions,
  logLevel as KafkaLogLevel,
  type logCreator,
} from 'kafkajs';
import type { Logger } from '../observability/logger';
import { createOutageReporter, type OutageReporter } from '../observability/outageReporter';
import './requestQueueTimerFix';

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/**
 * kafkajs' own words for "the broker is not there (yet)": refused or lost connections, a seed
 * broker away, a coordinator or partition leader still loading or moving. It logs those at
 * ERROR on every retry; they are an outage, reported once and then every 30 s instead.
 */
const unreachable =
  /Connection error|Connection timeout|Closed connection|Failed to connect|seed broker|coordinator is (loading|not available)|not the correct coordinator|no leader|leadership election|KafkaJSConnectionError|KafkaJSRequestTimeoutError|Request .* timed out/i;

/**
 * Routine steps that kafkajs logs as WARN or ERROR: info for us. "Topic creation errors" is a
 * CreateTopics answer for a topic another process created between our list and our create;
 * `ensureTopic` still rethrows any other creation failure.
 */
const routine = /The group is rebalancing, re-joining|Topic creation errors/;

const describeError = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : '';

/** kafkajs logs through our pino root (message and a few safe fields only, never payloads). */
const pinoLogCreator =
  (logger: Logger, outage: OutageReporter): logCreator =>
  () =>
  ({ level, log }) => {
    const { message, broker, clientId, groupId, topic, error } = log as Record<string, unknown>;
    const text = `${String(message)} ${describeError(error)}`;
    if (level <= KafkaLogLevel.WARN && unreachable.test(text)) {
      outage.failed(text.trim());
      return;
    }
    const name = routine.test(text) ? 'info' : (levelNames[level] ?? 'info');
    logger[name]({ module: 'kafkajs', broker, clientId, groupId, topic, error }, String(message));
  };

export type KafkaSecurity = Readonly<{
  ssl: boolean;
  caFile?: string | undefined;
  sasl?:
    | Readonly<{
        mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
        username: string;
        password: string;
      }>
    | undefined;
}>;

export type KafkaSettings = Readonly<{
  brokers: readonly string[];
  clientId: string;
  /** TLS and SASL (SCRAM); unset → plaintext, no authentication (the local broker). */
  security?: KafkaSecurity;
}>;

/** Spelled per mechanism: kafkajs' SASLOptions is a union discriminated by `mechanism`. */
const saslOptions = ({
  mechanism,
  username,
  password,
}: NonNullable<KafkaSecurity['sasl']>): SASLOptions =>
  mechanism === 'plain'
    ? { mechanism, username, password }
    : mechanism === 'scram-sha-256'
      ? { mechanism, username, password }
      : { mechanism, username, password };

/** kafkajs' ssl and sasl options: the CA file is read once, here, at client creation. */
const securityOptions = (
  security: KafkaSecurity | undefined,
): Pick<KafkaConfig, 'ssl' | 'sasl'> => ({
  ...(security?.ssl
    ? {
        ssl: security.caFile === undefined ? true : { ca: [readFileSync(security.caFile, 'utf8')] },
      }
    : {}),
  ...(security?.sasl ? { sasl: saslOptions(security.sasl) } : {}),
});

/**
 * A kafkajs client logging through pino, with one outage reporter: kafkajs' connection errors
 * feed it, and every successful request of any consumer, producer or admin made from this
 * client marks Kafka reachable again (the "kafka reachable again" info line).
 */
export const createKafka = (settings: KafkaSettings, logger: Logger): Kafka => {
  const outage = createOutageReporter(logger.child({ module: 'kafka' }), 'kafka');
  const kafka = new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    logLevel: KafkaLogLevel.WARN,
    logCreator: pinoLogCreator(logger.child({ module: 'kafka' }), outage),
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8 },
    ...securityOptions(settings.security),
  });
  const back = () => outage.succeeded();
  const consumer = kafka.consumer.bind(kafka);
  const producer = kafka.producer.bind(kafka);
  const admin = kafka.admin.bind(kafka);
  return Object.assign(kafka, {
    consumer: (...args: Parameters<Kafka['consumer']>) => {
      const c = consumer(...args);
      c.on(c.events.REQUEST, back);
      return c;
    },
    producer: (...args: Parameters<Kafka['producer']>) => {
      const p = producer(...args);
      p.on(p.events.REQUEST, back);
      return p;
    },
    admin: (...args: Parameters<Kafka['admin']>) => {
      const a = admin(...args);
      a.on(a.events.REQUEST, back);
      return a;
    },
  });
};

/**
 * Runs a start-up step against Kafka until it succeeds: a broker that is down, or up but still
 * loading its group coordinator, delays the start instead of crashing it. Connection trouble is
 * already reported (kafkajs' logs go to the outage reporter); anything else is warned each time.
 */
export const untilKafkaReady = async <T>(
  what: string,
  step: () => Promise<T>,
  logger: Logger,
  retryMs = 1_000,
): Promise<T> => {
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (!unreachable.test(describeError(error)))
        logger.warn(
          { step: what, reason: describeError(error) },
          'kafka start-up step failed; retrying',
        );
      await sleep(retryMs);
    }
  }
};

/**
 * Creates the topic with `partitions` if it is missing (idempotent, also when two processes race
 * to create it). An existing topic is left as it is, and its partition count returned: growing it
 * here would move sessions to other partitions while their earlier events are still unconsumed
 * on the old ones (see infra/README.md for how to grow it safely).
 */
export const ensureTopic = async (
  kafka: Kafka,
  topic: string,
  partitions: number,
): Promise<number> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) {
      await admin
        .createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true })
        .catch((error: unknown) => {
          // Another process created it between the list and the create.
          const errors = (error as { errors?: { type?: string }[] }).errors ?? [error];
          if (!errors.every((e) => (e as { type?: string }).type === 'TOPIC_ALREADY_EXISTS'))
            throw error;
        });
    }
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    return meta?.partitions.length ?? partitions;
  } finally {
    await admin.disconnect();
  }
};

/**
 * Resolves once the group's coordinator answers (describeGroups goes through FindCoordinator):
 * on a broker's first start the coordinator loads __consumer_offsets for a while, and a consumer
 * started meanwhile crashed once inside kafkajs (logged as an error) before restarting.
 */
export const groupCoordinatorReady = async (kafka: Kafka, groupId: string): Promise<void> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.describeGroups([groupId]);
  } finally {
    await admin.disconnect();
  }
};
