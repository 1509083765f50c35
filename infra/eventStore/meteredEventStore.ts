import type { Metrics } from '../observability/metrics';
import { WrongExpectedVersionError, type EventStore } from './eventStore';

/**
 * The append port with its metrics: `events_appended_total{type}` counts events once the append
 * committed (so a refused batch counts nothing), `event_store_append_errors_total` the appends
 * that failed for another reason than a wrong expected version (those are conflicts, counted by
 * the command handler). Every adapter is wrapped here, so every process that appends counts.
 */
export const withAppendMetrics = (
  store: EventStore,
  metrics: Pick<Metrics, 'eventsAppended' | 'appendErrors'>,
): EventStore => ({
  appendToStream: async (streamName, events, options) => {
    try {
      const result = await store.appendToStream(streamName, events, options);
      for (const event of events) metrics.eventsAppended.inc({ type: event.type });
      return result;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) metrics.appendErrors.inc();
      throw error;
    }
  },
  readStream: (streamName, options) => store.readStream(streamName, options),
  readCategory: (category, from, max) => store.readCategory(category, from, max),
  ping: () => store.ping(),
  close: () => store.close(),
});
