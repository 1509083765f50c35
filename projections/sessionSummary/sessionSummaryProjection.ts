import type { RecordedEvent } from '../../events/envelope';
import { streamId } from '../../events/streamNames';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import type { BatchOutcome, EventFailure, Projection } from '../projection';
import { BlockedByEarlierFailureError, GapError } from '../projectionErrors';
import { evolveSummary, sessionSummaryProjectionId, type SessionSummary } from './sessionSummary';
import { liveSessionSummaryTable, loadSummaries, saveSummaries } from './sessionSummaryTable';

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

const applyAll = (
  events: readonly RecordedEvent[],
  current: ReadonlyMap<string, SessionSummary>,
) => {
  const changed = new Map<string, SessionSummary>();
  const failedSessions = new Set<string>();
  const failures: EventFailure[] = [];
  let applied = 0;
  let duplicates = 0;
  for (const event of events) {
    const id = streamId(event.streamName);
    if (failedSessions.has(id)) {
      failures.push({ event, error: new BlockedByEarlierFailureError(id) });
      continue;
    }
    const summary = changed.get(id) ?? current.get(id) ?? null;
    const expected = (summary?.lastPosition ?? -1) + 1;
    if (event.streamPosition < expected) {
      duplicates += 1;
      continue;
    }
    try {
      if (event.streamPosition > expected) throw new GapError(id, expected, event.streamPosition);
      changed.set(id, evolveSummary(summary, event));
      applied += 1;
    } catch (error) {
      failedSessions.add(id);
      failures.push({ event, error: asError(error) });
    }
  }
  return { changed, outcome: { applied, duplicates, failures } };
};

/** A summary that changed in a batch: what it was before (null: new session) and after. */
export type SummaryChange = Readonly<{ before: SessionSummary | null; after: SessionSummary }>;

/**
 * Read models derived from the summaries (the funnel), told in the same transaction what changed.
 * The position guard has already filtered redeliveries, so a derived model needs none of its own.
 */
export type SummaryListener = (tx: SqlExecutor, changes: readonly SummaryChange[]) => Promise<void>;

const changesOf = (
  current: ReadonlyMap<string, SessionSummary>,
  changed: ReadonlyMap<string, SessionSummary>,
): SummaryChange[] =>
  [...changed.values()].map((after) => ({ before: current.get(after.sessionId) ?? null, after }));

/**
 * The session summary projection over a given table (the live one, or a rebuild's), with the
 * read models derived from it (`listeners`) kept in the same transaction.
 */
export const createSessionSummaryProjection = (
  table = liveSessionSummaryTable,
  listeners: readonly SummaryListener[] = [],
): Projection => {
  const save = async (
    tx: SqlExecutor,
    current: ReadonlyMap<string, SessionSummary>,
    changed: ReadonlyMap<string, SessionSummary>,
  ) => {
    await saveSummaries(tx, table, [...changed.values()]);
    const changes = changesOf(current, changed);
    for (const listener of listeners) await listener(tx, changes);
  };
  return {
    id: sessionSummaryProjectionId,
    applyBatch: async (
      tx: SqlExecutor,
      events: readonly RecordedEvent[],
    ): Promise<BatchOutcome> => {
      const ids = [...new Set(events.map((e) => streamId(e.streamName)))];
      const current = await loadSummaries(tx, table, ids);
      const { changed, outcome } = applyAll(events, current);
      await save(tx, current, changed);
      return outcome;
    },
    redrive: async (tx, sessionId, stream) => {
      // The old row is what derived read models must subtract.
      const current = await loadSummaries(tx, table, [sessionId]);
      await tx.query(`DELETE FROM ${table} WHERE session_id = $1`, [sessionId]);
      const { changed, outcome } = applyAll(stream, new Map());
      const first = outcome.failures[0];
      if (first !== undefined) throw first.error;
      await save(tx, current, changed);
    },
  };
};
