import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { eventHeaders } from './eventPublisher';

/** Which of these event ids are among the newest records of the topic. */
export type PublishedTail = (eventIds: readonly string[]) => Promise<Set<string>>;

/**
 * Reads the newest `depth` records of every partition of `topic` and answers which of the given
 * event ids (header `event-id`) are there. The relay asks after a takeover or a failed step,
 * when the batch it is about to send may already have been sent by a leader that died (or by
 * itself) before its checkpoint was written: a partition receives at most one batch between two
 * checkpoints, so a depth of one batch covers it. An id found is in Kafka, so skipping it loses
 * nothing; an id not found is sent again (at-least-once stays the guarantee).
 *
 * kafkajs has no manual partition assignment: a throwaway consumer group (never committed to)
 * joins, seeks each partition to its high watermark − depth and reads up to the watermark.
 */
export const createPublishedTail =
  (kafka: Kafka, topic: string, depth: number, timeoutMs = 30_000): PublishedTail =>
  async (eventIds) => {
    const wanted = new Set(eventIds);
    const found = new Set<string>();
    if (wanted.size === 0) return found;
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
    const ranges = offsets
      .map((o) => ({
        partition: o.partition,
        from: Math.max(Number(o.low), Number(o.high) - depth),
        high: Number(o.high),
      }))
      .filter((r) => r.high > r.from);
    if (ranges.length === 0) return found;

    const consumer = kafka.consumer({ groupId: `waymark-relay-tail-${randomUUID()}` });
    const pending = new Map(ranges.map((r) => [r.partition, r.high]));
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: false });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the topic's tail was not read within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const settle = () => {
          if (pending.size > 0) return;
          clearTimeout(timer);
          resolve();
        };
        consumer
          .run({
            autoCommit: false,
            eachMessage: ({ partition, message }) => {
              const id = message.headers?.[eventHeaders.eventId]?.toString();
              if (id !== undefined && wanted.has(id)) found.add(id);
              const high = pending.get(partition);
              if (high !== undefined && Number(message.offset) + 1 >= high)
                pending.delete(partition);
              settle();
              return Promise.resolve();
            },
          })
          .then(() => {
            for (const r of ranges)
              consumer.seek({ topic, partition: r.partition, offset: String(r.from) });
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    return found;
  };
