import type { Kafka } from 'kafkajs';

/** Health probe for the broker: one admin connection, reused; describeCluster per probe. */
export const createKafkaProbe = (kafka: Kafka) => {
  const admin = kafka.admin();
  let connected: Promise<void> | null = null;
  return {
    probe: async (): Promise<void> => {
      connected ??= admin.connect().catch((error: unknown) => {
        connected = null;
        throw error;
      });
      await connected;
      await admin.describeCluster();
    },
    /** End offset of each partition of a topic. */
    topicEnds: async (topic: string): Promise<Map<number, number>> => {
      connected ??= admin.connect();
      await connected;
      return new Map(
        (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]),
      );
    },
    close: () => admin.disconnect(),
  };
};
