import { Kafka, logLevel as KafkaLogLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../observability/logger';

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/** kafkajs logs through our pino root (message and a few safe fields only, never payloads). */
const pinoLogCreator =
  (logger: Logger): logCreator =>
  () =>
  ({ level, log }) => {
    const { message, broker, clientId, groupId, topic, error } = log as Record<string, unknown>;
    logger[levelNames[level] ?? 'info'](
      { module: 'kafkajs', broker, clientId, groupId, topic, error },
      String(message),
    );
  };

export type KafkaSettings = Readonly<{ brokers: readonly string[]; clientId: string }>;

export const createKafka = (settings: KafkaSettings, logger: Logger): Kafka =>
  new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    logLevel: KafkaLogLevel.WARN,
    logCreator: pinoLogCreator(logger.child({ module: 'kafka' })),
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8 },
  });

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
