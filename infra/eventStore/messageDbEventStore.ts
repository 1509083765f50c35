import type { EventMetadata, RecordedEvent } from '../../events/envelope';
import type { SqlClient } from '../postgres/sqlClient';
import { createGroupCommit, inLockOrder, type AppendGroup, type GroupOutcome } from './groupCommit';
import {
  DuplicateEventIdError,
  WrongExpectedVersionError,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
} from './eventStore';

type MessageRow = {
  id: string;
  stream_name: string;
  type: string;
  position: string | number;
  global_position: string | number;
  data: string | null;
  metadata: string | null;
  recorded_at: string;
};

const columns = `id, stream_name, type, position, global_position, data, metadata,
  to_char(time, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at`;

const toRecorded = (row: MessageRow): RecordedEvent => ({
  eventId: row.id,
  streamName: row.stream_name,
  type: row.type,
  streamPosition: Number(row.position),
  globalPosition: Number(row.global_position),
  recordedAt: row.recorded_at,
  data: row.data === null ? {} : (JSON.parse(row.data) as unknown),
  metadata: (row.metadata === null ? {} : JSON.parse(row.metadata)) as EventMetadata,
});

const uniqueViolation = '23505';
const transient = new Set(['40P01', '40001']);

export type MessageDbEventStoreOptions = Readonly<{
  sql: SqlClient;
  /** Group commit: several concurrent appends share one transaction. Off = one per append. */
  groupCommit: false | Readonly<{ maxEvents: number }>;
}>;

/**
 * EventStore on PostgreSQL + Message DB. Appends go through waymark.append_batch (one round trip,
 * one transaction, per-group subtransactions). Reads use Message DB's own functions:
 * get_category_messages is the only safe way to follow the log, because write_message's
 * per-category lock makes global_position commit-ordered within a category and only there.
 */
export const createMessageDbEventStore = (options: MessageDbEventStoreOptions): EventStore => {
  const { sql } = options;

  // Every batch in stream-name order: see inLockOrder.
  const runBatch = inLockOrder((groups: readonly AppendGroup[]) => runOrdered(groups));

  const runOrdered = async (groups: readonly AppendGroup[]): Promise<GroupOutcome[]> => {
    const payload = groups.map((g) => ({
      streamName: g.streamName,
      expectedVersion: g.expectedVersion === 'any' ? null : g.expectedVersion,
      events: g.events.map((e) => ({
        id: e.eventId,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
      })),
    }));
    const [row] = await sql.query<{ result: GroupOutcome[] | string }>(
      'SELECT waymark.append_batch($1::jsonb) AS result',
      [JSON.stringify(payload)],
    );
    const result = row?.result;
    return typeof result === 'string' ? (JSON.parse(result) as GroupOutcome[]) : (result ?? []);
  };

  const grouped =
    options.groupCommit === false ? null : createGroupCommit(runBatch, options.groupCommit);

  /**
   * One group through the group commit (or alone). A deadlock victim or a serialisation failure
   * rolled its group back, so nothing was written and it is safe to write it again (the lock
   * order above makes this rare).
   */
  const write = async (group: AppendGroup): Promise<GroupOutcome | undefined> => {
    const once = async () => (grouped ? await grouped(group) : (await runBatch([group]))[0]);
    let outcome = await once();
    for (let retry = 0; retry < 3 && transient.has(outcome?.sqlstate ?? ''); retry += 1)
      outcome = await once();
    return outcome;
  };

  const appendToStream = async (
    streamName: string,
    events: readonly NewEvent[],
    { expectedVersion }: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> => {
    if (events.length === 0) throw new Error('append needs at least one event');
    const outcome = await write({ streamName, events, expectedVersion });
    if (outcome?.ok === true) return { nextExpectedVersion: outcome.version };
    if (outcome?.wrongExpectedVersion === true && expectedVersion !== 'any') {
      throw new WrongExpectedVersionError(streamName, expectedVersion, outcome.version);
    }
    // messages.id is unique in Message DB: a stored id fails the insert with unique_violation.
    if (outcome?.sqlstate === uniqueViolation) throw new DuplicateEventIdError(streamName);
    throw new Error(`append to ${streamName} failed (sqlstate ${outcome?.sqlstate ?? 'unknown'})`);
  };

  return {
    appendToStream,
    readStream: async (streamName, { fromPosition = 0, maxCount } = {}) => {
      // One round trip whatever the tail holds: the stream's version comes with the rows (one
      // row of NULLs when the tail is empty), so a command that reads only the tail after its
      // cached or snapshot state pays one query, not two.
      const rows = await sql.query<
        Partial<MessageRow> & { stream_version: string | number | null }
      >(
        `SELECT m.*, v.stream_version
           FROM (SELECT message_store.stream_version($1) AS stream_version) v
           LEFT JOIN LATERAL (SELECT ${columns}
                                FROM message_store.get_stream_messages($1, $2, $3)) m ON true
          ORDER BY m.position`,
        [streamName, fromPosition, maxCount ?? -1],
      );
      const version = rows[0]?.stream_version;
      const events = rows.filter((r): r is MessageRow & typeof r => r.id != null).map(toRecorded);
      return { events, version: version == null ? -1 : Number(version) };
    },
    readCategory: async (category, fromPosition, maxCount) => {
      const rows = await sql.query<MessageRow>(
        `SELECT ${columns} FROM message_store.get_category_messages($1, $2, $3)`,
        [category, fromPosition, maxCount],
      );
      return rows.map(toRecorded);
    },
    ping: async () => {
      await sql.query('SELECT 1');
    },
    close: () => sql.close(),
  };
};
