import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedEvent } from '../../events/envelope';
import type { EventStore } from '../../infra/eventStore/eventStore';
import type { EventPublisher } from '../../infra/kafka/eventPublisher';
import type { PublishedTail } from '../../infra/kafka/publishedTail';
import type { Logger } from '../../infra/observability/logger';
import { createPassOutages } from '../../infra/observability/outageReporter';
import type { Metrics } from '../../infra/observability/metrics';
import type { CategoryCheckpoints } from '../../infra/postgres/positions';
import { LeaseLostError } from '../../infra/postgres/leaderLease';

/** Whether this process leads a category now (a leader lease, or always when run alone). */
export type CategoryLeadership = (category: string) => boolean;

export type RelayDeps = Readonly<{
  eventStore: EventStore;
  publisher: EventPublisher;
  checkpoints: CategoryCheckpoints;
  logger: Logger;
  metrics: Metrics;
  settings: Readonly<{ categories: readonly string[]; batchSize: number; pollIntervalMs: number }>;
  /** Absent: this relay leads every category (tests, a single process). */
  leads?: CategoryLeadership;
  /** Absent: no check for what is already in Kafka (every batch since a checkpoint is resent). */
  tail?: PublishedTail;
}>;

/**
 * The relay: event store → Kafka, at-least-once.
 *
 * Per category it reads with readCategory (commit-ordered within the category), publishes the batch
 * and waits for the broker's ack (acks=all), and only then stores the next position. A crash
 * anywhere before the checkpoint write republishes that batch: duplicates, never loss. The dedupe
 * key downstream is (session id, stream position), also carried as the event-id header.
 *
 * Several relays may run: per category only the holder of its leader lease relays (`leads`), and
 * the checkpoint write is fenced by that lease (checkpoints.save checks it in its transaction). A
 * deposed leader starts no new publish; one already in flight may land, which its successor
 * repeats from the last checkpoint: duplicates inside the at-least-once window, never loss.
 *
 * Fewer duplicates: the first batch after taking a category over (or starting) and after a failed
 * step may already be in Kafka (sent, then no checkpoint). Then the relay asks the topic's tail
 * (`tail`) which of those events are there and sends only the others; the checkpoint still
 * moves past the whole batch. Skipping only ids found in Kafka keeps "never loss".
 */
export const createRelay = (deps: RelayDeps) => {
  const { eventStore, publisher, checkpoints, logger, metrics, settings } = deps;
  let stopping = false;
  const stopController = new AbortController();

  /** One step for one category; returns how many events were relayed. */
  const leads = deps.leads ?? (() => true);
  // Categories whose next batch may be in Kafka already: all of them at start.
  const unsure = new Set(settings.categories);
  const unsent = async (category: string, events: readonly RecordedEvent[]) => {
    if (!unsure.has(category) || deps.tail === undefined) return events;
    // The check only saves duplicates: if it fails, send everything rather than stall.
    const sent = await deps.tail(events.map((e) => e.eventId)).catch((error: unknown) => {
      logger.warn(
        { category, reason: error instanceof Error ? error.message : String(error) },
        "the topic's tail could not be read; sending the whole batch (duplicates possible)",
      );
      return new Set<string>();
    });
    if (sent.size > 0)
      logger.info(
        { category, skipped: sent.size, of: events.length },
        'part of the batch is in Kafka already (sent before the last checkpoint): not resent',
      );
    return events.filter((e) => !sent.has(e.eventId));
  };
  const relayOnce = async (category: string): Promise<number> => {
    if (!leads(category)) {
      unsure.add(category);
      return 0;
    }
    const from = await checkpoints.load(category);
    const events = await eventStore.readCategory(category, from, settings.batchSize);
    // The first event read is the oldest one not yet published: its age is the relay's backlog.
    const oldest = events[0];
    metrics.relayOldestUnpublishedAge.set(
      { category },
      oldest === undefined ? 0 : Math.max(0, (Date.now() - Date.parse(oldest.recordedAt)) / 1000),
    );
    const last = events.at(-1);
    if (last === undefined || !leads(category)) return 0;
    const toSend = await unsent(category, events);
    unsure.add(category); // until the checkpoint is written, this batch may be half-way
    if (toSend.length > 0) await publisher.publish(toSend);
    try {
      await checkpoints.save(category, last.globalPosition + 1);
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
      logger.warn({ category }, 'deposed while relaying; the new leader repeats this batch');
      return 0;
    }
    unsure.delete(category);
    metrics.relayPublished.inc({ category }, events.length);
    metrics.relayPosition.set({ category }, last.globalPosition + 1);
    metrics.relayLagSeconds.set(
      { category },
      Math.max(0, (Date.now() - Date.parse(last.recordedAt)) / 1000),
    );
    logger.debug(
      { category, count: events.length, nextPosition: last.globalPosition + 1 },
      'relayed',
    );
    return events.length;
  };

  // One warning per outage (PostgreSQL or Kafka away), not one error per 100 ms poll.
  const outages = createPassOutages(logger);
  const run = async (): Promise<void> => {
    logger.info({ categories: settings.categories }, 'relay started');
    while (!stopping) {
      let relayed = 0;
      try {
        for (const category of settings.categories) relayed += await relayOnce(category);
        metrics.workerHeartbeat.set({ worker: 'relay' }, Date.now() / 1000);
        outages.passed();
      } catch (error) {
        outages.failed(error, 'relay step failed; retrying from the last checkpoint');
        relayed = 0;
      }
      if (relayed === 0)
        await sleep(settings.pollIntervalMs, undefined, { signal: stopController.signal }).catch(
          () => undefined,
        );
    }
    logger.info('relay stopped');
  };

  return {
    relayOnce,
    run,
    /** Finishes the batch in progress (so its checkpoint is written) and returns. */
    stop: () => {
      stopping = true;
      stopController.abort();
    },
  };
};
