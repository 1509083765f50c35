import type { RecordedEvent } from '../../events/envelope';
import { categoryOf } from '../../events/streamNames';
import { DuplicateEventIdError, WrongExpectedVersionError, type EventStore } from './eventStore';

/**
 * In-memory EventStore for unit and API tests only. It passes the same contract suite as the real
 * adapters, which is what makes it a fair stand-in; it keeps nothing across restarts.
 */
export const createInMemoryEventStore = (clock: () => Date = () => new Date()): EventStore => {
  const log: RecordedEvent[] = [];
  const streams = new Map<string, RecordedEvent[]>();
  const ids = new Set<string>();

  return {
    appendToStream: (streamName, events, { expectedVersion }) => {
      const stream = streams.get(streamName) ?? [];
      const current = stream.length - 1;
      if (expectedVersion !== 'any' && expectedVersion !== current) {
        return Promise.reject(new WrongExpectedVersionError(streamName, expectedVersion, current));
      }
      if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
      const batchIds = new Set(events.map((e) => e.eventId));
      if (batchIds.size < events.length || events.some((e) => ids.has(e.eventId)))
        return Promise.reject(new DuplicateEventIdError(streamName));
      const recordedAt = clock().toISOString();
      const recorded = events.map((e, i): RecordedEvent => ({
        eventId: e.eventId,
        type: e.type,
        data: structuredClone(e.data),
        metadata: e.metadata,
        streamName,
        streamPosition: current + 1 + i,
        globalPosition: log.length + 1 + i,
        recordedAt,
      }));
      recorded.forEach((e) => ids.add(e.eventId));
      log.push(...recorded);
      streams.set(streamName, [...stream, ...recorded]);
      return Promise.resolve({ nextExpectedVersion: current + events.length });
    },
    readStream: (streamName, { fromPosition = 0, maxCount } = {}) => {
      const all = streams.get(streamName) ?? [];
      const end = maxCount === undefined ? all.length : fromPosition + maxCount;
      return Promise.resolve({ events: all.slice(fromPosition, end), version: all.length - 1 });
    },
    readCategory: (category, fromPosition, maxCount) =>
      Promise.resolve(
        log
          .filter((e) => e.globalPosition >= fromPosition && categoryOf(e.streamName) === category)
          .slice(0, maxCount),
      ),
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
};
