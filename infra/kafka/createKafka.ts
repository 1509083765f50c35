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

/** Creates the topic if it is missing (idempotent). */
export const ensureTopic = async (
  kafka: Kafka,
  topic: string,
  partitions: number,
): Promise<void> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) {
      await admin.createTopics({
        topics: [{ topic, numPartitions: partitions }],
        waitForLeaders: true,
      });
    }
  } finally {
    await admin.disconnect();
  }
};
