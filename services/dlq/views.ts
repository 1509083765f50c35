import type { DlqEntry } from '../../infra/postgres/dlqQueries';

const iso = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());

/** A stored dead letter as the DLQ API documents its list item. */
export const dlqItemView = (e: DlqEntry) => ({
  task_id: e.id,
  task_name: e.group_id,
  correlation_id: e.correlation_id,
  session_id: e.session_id,
  status: e.status,
  category: e.error_category,
  error_message: e.error_message,
  retry_count: e.retry_count,
  max_retries: e.max_retries,
  created_at: iso(e.created_at),
  last_retry_at: iso(e.last_retry_at),
  next_retry_at: null,
  task_args: [e.session_id, e.stream_position === null ? null : Number(e.stream_position)],
  task_kwargs: {
    event_type: e.event_type,
    source_topic: e.source_topic,
    partition: e.source_partition,
    offset: Number(e.source_offset),
  },
});

export const dlqDetailView = (
  e: DlqEntry,
  history: readonly {
    attempt: number;
    at: Date;
    actor: string;
    outcome: string;
    error: string | null;
  }[],
) => ({
  ...dlqItemView(e),
  error_type: e.error_type,
  traceback: e.error_stack,
  attempts: e.attempts,
  first_failed_at: iso(e.first_failed_at),
  last_failed_at: iso(e.last_failed_at),
  retry_history: history.map((h) => ({
    attempt: h.attempt,
    timestamp: iso(h.at),
    actor: h.actor,
    outcome: h.outcome,
    error: h.error,
    retry_after: null,
  })),
  context: { session_id: e.session_id, user_id: null, client_id: e.tenant_id },
});
