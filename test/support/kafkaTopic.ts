import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { testEnv } from './testEnv';
import { uniqueName } from './uniqueName';
// kafkajs' negative-timeout warning: the same fix as the processes' clients.
import '../../infra/kafka/requestQueueTimerFix';

export type TopicMessage = Readonly<{
  partition: number;
  offset: number;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}>;

export const testKafka = () =>
  new Kafka({
    clientId: uniqueName('test'),
    brokers: testEnv.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });

const headerStrings = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers ?? {}).map(([k, v]) => [
      k,
      Buffer.isBuffer(v) ? v.toString('utf8') : String(v),
    ]),
  );

export const createTopic = async (topic: string, partitions = 3): Promise<void> => {
  const admin = testKafka().admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions }],
    waitForLeaders: true,
  });
  await admin.disconnect();
};

export const topicSize = async (topic: string): Promise<number> => {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
};

/** Everything in the topic right now, read from the beginning by a fresh consumer group. */
export const readTopic = async (topic: string, timeoutMs = 30_000): Promise<TopicMessage[]> => {
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map(
    (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]),
  );
  await admin.disconnect();
  const total = [...ends.values()].reduce((a, b) => a + b, 0);
  const messages: TopicMessage[] = [];
  if (total === 0) return messages;
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`read ${messages.length} of ${total} messages from ${topic}`)),
      timeoutMs,
    );
    void consumer.run({
      eachMessage: ({ partition, message }) => {
        messages.push({
          partition,
          offset: Number(message.offset),
          key: message.key?.toString('utf8') ?? '',
          value: message.value ?? Buffer.alloc(0),
          headers: headerStrings(message.headers),
        });
        if (messages.length >= total) {
          clearTimeout(timer);
          resolve();
        }
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  return messages;
};

export const waitFor = async (
  predicate: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};
