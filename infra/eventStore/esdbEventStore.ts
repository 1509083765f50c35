import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventMetadata, RecordedEvent } from '../../events/envelope';
import { DuplicateEventIdError, WrongExpectedVersionError, type EventStore } from './eventStore';

type JsonObject = Record<string, unknown>;
const pageSize = 1000;

const toRecorded = (resolved: ResolvedEvent): RecordedEvent | null => {
  const event = resolved.event;
  if (event?.isJson !== true) return null;
  // The prepare position is unique per event in $all order (several events of one append share a
  // commit position), so it is the global position a reader resumes from.
  return {
    eventId: event.id,
    streamName: event.streamId,
    type: event.type,
    streamPosition: Number(event.revision),
    globalPosition: Number(event.position?.prepare ?? resolved.commitPosition ?? 0),
    recordedAt: event.created.toISOString(),
    data: event.data,
    metadata: event.metadata as EventMetadata,
  };
};

/**
 * EventStore on EventStoreDB / KurrentDB via @eventstore/db-client.
 *
 * NOT RUN against a server in this repository's CI: no EventStoreDB server can be obtained on the
 * build machines. The contract suite runs against it whenever EVENTSTORE_CONNECTION_STRING is set.
 * Category reads use $all with a stream-name prefix filter, which is commit-ordered by design.
 */
export const createEsdbEventStore = (connectionString: string): EventStore => {
  const client = EventStoreDBClient.connectionString(connectionString);
  const readForwards = async (streamName: string, from: number, maxCount?: number) => {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of client.readStream(streamName, {
        direction: FORWARDS,
        fromRevision: from === 0 ? START : BigInt(from),
        ...(maxCount === undefined ? {} : { maxCount: BigInt(maxCount) }),
      })) {
        const recorded = toRecorded(resolved);
        if (recorded) events.push(recorded);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return events;
  };
  const lastRevision = async (streamName: string): Promise<number> => {
    try {
      for await (const resolved of client.readStream(streamName, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1n,
      })) {
        return Number(resolved.event?.revision ?? -1);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return -1;
  };
  return {
    appendToStream: async (streamName, events, { expectedVersion }) => {
      const expectedRevision =
        expectedVersion === 'any' ? ANY : expectedVersion < 0 ? NO_STREAM : BigInt(expectedVersion);
      const payload = events.map((e) =>
        jsonEvent({
          id: e.eventId,
          type: e.type,
          data: e.data as JsonObject,
          metadata: e.metadata,
        }),
      );
      if (new Set(events.map((e) => e.eventId)).size < events.length)
        throw new DuplicateEventIdError(streamName);
      // EventStoreDB answers a repeated append of ids it holds with success and writes nothing
      // (idempotent write). The port rejects duplicates instead: such an answer ends below the
      // revision before the append + the events appended (concurrent writers only push it up).
      const before =
        expectedVersion === 'any' ? await lastRevision(streamName) : Math.max(-1, expectedVersion);
      try {
        const result = await client.appendToStream(streamName, payload, { expectedRevision });
        const next = Number(result.nextExpectedRevision);
        if (next < before + events.length) throw new DuplicateEventIdError(streamName);
        return { nextExpectedVersion: next };
      } catch (error) {
        if (error instanceof EsdbWrongExpectedVersionError && expectedVersion !== 'any') {
          const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : -1;
          throw new WrongExpectedVersionError(streamName, expectedVersion, actual);
        }
        throw error;
      }
    },
    readStream: async (streamName, { fromPosition = 0, maxCount } = {}) => {
      const events = await readForwards(streamName, fromPosition, maxCount);
      if (maxCount === undefined && events.length > 0)
        return { events, version: events.at(-1)?.streamPosition ?? -1 };
      return { events, version: await lastRevision(streamName) };
    },
    readCategory: async (category, fromPosition, maxCount) => {
      // readAll has no server-side filter in this client version: page through $all and keep the
      // category's events until maxCount are found or the log ends.
      const events: RecordedEvent[] = [];
      const inCategory = (e: RecordedEvent | null): e is RecordedEvent =>
        e !== null && e.streamName.startsWith(`${category}-`) && e.globalPosition >= fromPosition;
      let from = BigInt(Math.max(0, fromPosition));
      for (;;) {
        const page: AllStreamResolvedEvent[] = await client
          .readAll({
            direction: FORWARDS,
            fromPosition: from === 0n ? START : { commit: from, prepare: from },
            maxCount: BigInt(pageSize),
          })
          .toArray()
          .then((rows) => rows as AllStreamResolvedEvent[]);
        events.push(...page.map(toRecorded).filter(inCategory));
        const last = page.at(-1)?.event?.position?.prepare;
        if (events.length >= maxCount || page.length < pageSize || last === undefined) {
          return events.slice(0, maxCount);
        }
        from = last + 1n;
      }
    },
    ping: async () => {
      await client.readAll({ maxCount: 1n }).toArray();
    },
    close: () => client.dispose(),
  };
};
