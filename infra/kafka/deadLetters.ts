import { Partitioners, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import { CodedError } from '../../events/codedError';
import { classifyError, type FailureCategory } from '../consumers/errorClassification';

export const dlqTopic = (topic: string, groupId: string): string => `${topic}.${groupId}.dlq`;

/** A message that failed for good, with where it came from and why. */
export type DeadLetter = Readonly<{
  groupId: string;
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  error: unknown;
  attempts: number;
  firstFailedAt: Date;
  lastFailedAt: Date;
}>;

export const sanitiseError = (error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  const message =
    e instanceof CodedError
      ? e.message
      : `${e.name}${typeof code === 'string' ? ` (code ${code})` : ''}`;
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((l) => l.trimStart().startsWith('at '))
    .slice(0, 15);
  return { type: e.name, message: message.slice(0, 500), stack: frames.join('\n') };
};

const headerText = (headers: IHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'string' ? v : undefined;
};

export const deadLetterHeaders = (letter: DeadLetter, category: FailureCategory): IHeaders => {
  const error = sanitiseError(letter.error);
  return {
    ...letter.headers,
    'dlq-group': letter.groupId,
    'dlq-source-topic': letter.topic,
    'dlq-source-partition': String(letter.partition),
    'dlq-source-offset': String(letter.offset),
    'dlq-error-category': category,
    'dlq-error-type': error.type,
    'dlq-error-message': error.message,
    'dlq-error-stack': error.stack,
    'dlq-attempts': String(letter.attempts),
    'dlq-first-failed-at': letter.firstFailedAt.toISOString(),
    'dlq-last-failed-at': letter.lastFailedAt.toISOString(),
  };
};

export { headerText };

/** Publishes dead letters to `<topic>.<group>.dlq` (acks=all) and resolves once acknowledged. */
export const createDeadLetterPublisher = async (kafka: Kafka) => {
  const producer: Producer = kafka.producer({
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
    // Chosen explicitly (murmur2, as the events producer): kafkajs warns at start otherwise.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return {
    publish: async (letters: readonly DeadLetter[]): Promise<void> => {
      if (letters.length === 0) return;
      const byTopic = new Map<string, DeadLetter[]>();
      letters.forEach((l) =>
        byTopic.set(dlqTopic(l.topic, l.groupId), [
          ...(byTopic.get(dlqTopic(l.topic, l.groupId)) ?? []),
          l,
        ]),
      );
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((l) => ({
            key: l.key,
            value: l.value,
            headers: deadLetterHeaders(l, classifyError(l.error)),
          })),
        })),
      });
    },
    close: () => producer.disconnect(),
  };
};

export type DeadLetterPublisher = Awaited<ReturnType<typeof createDeadLetterPublisher>>;
