import { CodedError } from '../../events/codedError';
import type { EventMetadata, RecordedEvent } from '../../events/envelope';

/** An event to append. `eventId` is a UUID chosen by the caller: the store rejects duplicates. */
export type NewEvent = Readonly<{
  eventId: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}>;

/**
 * Expected version of a stream before an append: the position of its last event (-1 for a stream
 * that does not exist yet), or 'any' to skip the check.
 */
export type ExpectedVersion = number | 'any';

export type ReadStreamOptions = Readonly<{ fromPosition?: number; maxCount?: number }>;

export type AppendResult = Readonly<{ nextExpectedVersion: number }>;

/** The stream's version did not match; `currentVersion` is what it is now (-1: no stream). */
export class WrongExpectedVersionError extends CodedError {
  constructor(
    readonly streamName: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    // Retriable: deciding again against the stream's fresh state may well succeed.
    super(
      { code: 'wrong_expected_version', category: 'validation', retriable: true },
      `wrong expected version for ${streamName}: expected ${expectedVersion}, is ${currentVersion}`,
    );
  }
}

/**
 * An append carried an event id the store already holds (or the same id twice). Nothing of that
 * append is stored. Not retriable: the same append fails the same way; a caller that retried a
 * write whose answer it lost can read the stream to see its events are there.
 */
export class DuplicateEventIdError extends CodedError {
  constructor(readonly streamName: string) {
    super(
      { code: 'duplicate_event_id', category: 'validation' },
      `an event id appended to ${streamName} is already stored`,
    );
  }
}

/**
 * The event store port: the source of truth and the outbox.
 *
 * Guarantees every adapter must keep (the contract suite in test/support/contracts checks them):
 * - append is atomic per call: all events or none, at consecutive stream positions;
 * - an event id is stored once in a stream: an append with an id the stream holds (or the same id
 *   twice) is rejected whole with DuplicateEventIdError, whatever its expected version (Message
 *   DB and the in-memory store also refuse an id held by another stream; EventStoreDB does not);
 * - a 2xx from the API means the append committed (durable before it returns);
 * - readCategory returns events with globalPosition >= fromPosition in commit order, so a reader
 *   that resumes from (last seen + 1) never skips an event that committed late.
 */
export interface EventStore {
  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult>;
  /**
   * Events of one stream in order, from `fromPosition` (default 0), at most `maxCount` (default
   * all). `version` is always the stream's current version, -1 when it does not exist: a restore
   * from a snapshot reads only the tail and still learns where the stream is.
   */
  readStream(
    streamName: string,
    options?: ReadStreamOptions,
  ): Promise<{ events: RecordedEvent[]; version: number }>;
  /** Events of one category from a global position, in commit order, at most maxCount. */
  readCategory(category: string, fromPosition: number, maxCount: number): Promise<RecordedEvent[]>;
  /** Cheap liveness probe for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
