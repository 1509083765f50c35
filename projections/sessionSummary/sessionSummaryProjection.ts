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

/** The session summary projection over a given table (the live one, or a rebuild's). */
export const createSessionSummaryProjection = (table = liveSessionSummaryTable): Projection => ({
  id: sessionSummaryProjectionId,
  applyBatch: async (tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<BatchOutcome> => {
    const ids = [...new Set(events.map((e) => streamId(e.streamName)))];
    const current = await loadSummaries(tx, table, ids);
    const { changed, outcome } = applyAll(events, current);
    await saveSummaries(tx, table, [...changed.values()]);
    return outcome;
  },
  redrive: async (tx, sessionId, stream) => {
    await tx.query(`DELETE FROM ${table} WHERE session_id = $1`, [sessionId]);
    const { changed, outcome } = applyAll(stream, new Map());
    const first = outcome.failures[0];
    if (first !== undefined) throw first.error;
    await saveSummaries(tx, table, [...changed.values()]);
  },
});
