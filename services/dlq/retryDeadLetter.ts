import { CodedError } from '../../events/codedError';
import { onboardingStream } from '../../events/streamNames';
import type { EventStore } from '../../infra/eventStore/eventStore';
import type { Metrics } from '../../infra/observability/metrics';
import { sanitiseError } from '../../infra/kafka/deadLetters';
import { recordRetry, type DlqEntry, type DlqStatus } from '../../infra/postgres/dlqQueries';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import type { Projection } from '../../projections/projection';

export type RetryResult = Readonly<{
  status: DlqStatus;
  resolvedIds: string[];
  error: string | null;
}>;

/** The dead letter's consumer has no re-drive (an unknown group, or no session to re-drive). */
export class RetryUnavailableError extends CodedError {
  constructor(message: string) {
    super({ code: 'retry_unavailable', category: 'validation' }, message);
  }
}

const counted = (entry: DlqEntry, outcome: 'success' | 'failure') => ({
  task_name: entry.group_id,
  trigger: 'admin',
  outcome,
});

/**
 * Retrying a dead letter of a projection = re-driving its session from the event store.
 *
 * Why not re-deliver the one message: when an event of a session fails, the session's later events
 * fail behind it (gaps), so the read model is missing a tail, not one event. Re-driving rebuilds
 * the session's rows from its complete stream in one transaction, so the read model ends exactly
 * as if nothing had failed; every open dead letter of that session and consumer is resolved with
 * it. On failure the entry becomes `failed`, or `abandoned` once its retries are used up.
 */
export const createDeadLetterRetry =
  (
    deps: Readonly<{
      sql: SqlClient;
      eventStore: EventStore;
      projections: ReadonlyMap<string, Projection>;
      /** dlq_task_retries_total{trigger="admin"}: the retry success rate's admin half. */
      metrics: Pick<Metrics, 'dlqTaskRetries'>;
    }>,
  ) =>
  async (entry: DlqEntry, actor: string): Promise<RetryResult> => {
    const projection = deps.projections.get(entry.group_id);
    const sessionId = entry.session_id;
    if (projection === undefined || sessionId === null) {
      throw new RetryUnavailableError(`no re-drive is known for consumer ${entry.group_id}`);
    }
    const { events } = await deps.eventStore.readStream(onboardingStream(sessionId));
    try {
      const resolvedIds = await deps.sql.transaction(async (tx) => {
        await projection.redrive(tx, sessionId, events);
        const open = await tx.query<{ id: string }>(
          `SELECT id FROM waymark.dlq_entries WHERE group_id = $1 AND session_id = $2
             AND (id = $3 OR status IN ('pending', 'retrying', 'failed')) ORDER BY id FOR UPDATE`,
          [entry.group_id, sessionId, entry.id],
        );
        for (const { id } of open) {
          const outcome = id === entry.id ? 'resolved' : `resolved by re-drive of ${entry.id}`;
          await recordRetry(tx, id, { status: 'resolved', actor, outcome, error: null });
        }
        return open.map((r) => r.id);
      });
      deps.metrics.dlqTaskRetries.inc(counted(entry, 'success'));
      return { status: 'resolved', resolvedIds, error: null };
    } catch (error) {
      const message = sanitiseError(error).message;
      const status: DlqStatus = entry.retry_count + 1 >= entry.max_retries ? 'abandoned' : 'failed';
      await deps.sql.transaction((tx) =>
        recordRetry(tx, entry.id, { status, actor, outcome: 'failed', error: message }),
      );
      deps.metrics.dlqTaskRetries.inc(counted(entry, 'failure'));
      return { status, resolvedIds: [], error: message };
    }
  };

export type DeadLetterRetry = ReturnType<typeof createDeadLetterRetry>;
