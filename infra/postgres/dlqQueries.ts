import type { SqlExecutor } from './sqlClient';
import { whereBuilder } from './whereBuilder';

export const dlqStatuses = ['pending', 'retrying', 'resolved', 'failed', 'abandoned'] as const;
export type DlqStatus = (typeof dlqStatuses)[number];

/** Which entries a query sees: one tenant, or every tenant (superadmin). */
export type DlqScope = Readonly<{ tenantId: string | null }>;

export type DlqFilters = Readonly<{
  status?: DlqStatus | undefined;
  category?: string | undefined;
  taskName?: string | undefined;
  correlationId?: string | undefined;
  sessionId?: string | undefined;
  olderThanHours?: number | undefined;
}>;

export type DlqEntry = Readonly<{
  id: string;
  group_id: string;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  error_category: string;
  error_type: string;
  error_message: string;
  error_stack: string | null;
  attempts: number;
  first_failed_at: Date;
  last_failed_at: Date;
  correlation_id: string | null;
  session_id: string | null;
  tenant_id: string | null;
  event_type: string | null;
  stream_position: string | null;
  status: DlqStatus;
  retry_count: number;
  max_retries: number;
  created_at: Date;
  updated_at: Date;
  last_retry_at: Date | null;
}>;

const columns = `id, group_id, source_topic, source_partition, source_offset, error_category, error_type, error_message,
  error_stack, attempts, first_failed_at, last_failed_at, correlation_id, session_id, tenant_id, event_type,
  stream_position, status, retry_count, max_retries, created_at, updated_at, last_retry_at`;

/** WHERE clause and parameters for a scope and filters (values always bound, never spliced). */
const where = (scope: DlqScope, f: DlqFilters): [string, unknown[]] => {
  const w = whereBuilder();
  if (scope.tenantId !== null) w.add('tenant_id = ?', scope.tenantId);
  if (f.status !== undefined) w.add('status = ?', f.status);
  if (f.category !== undefined) w.add('error_category = ?', f.category);
  if (f.taskName !== undefined) w.add('group_id = ?', f.taskName);
  if (f.correlationId !== undefined) w.add('correlation_id = ?', f.correlationId);
  if (f.sessionId !== undefined) w.add('session_id = ?', f.sessionId);
  if (f.olderThanHours !== undefined)
    w.add('created_at < now() - make_interval(hours => ?)', f.olderThanHours);
  return w.build();
};

export const listEntries = async (
  sql: SqlExecutor,
  scope: DlqScope,
  f: DlqFilters,
  page: Readonly<{ limit: number; offset: number }>,
) => {
  const [clause, params] = where(scope, f);
  const [count] = await sql.query<{ n: string }>(
    `SELECT count(*) AS n FROM waymark.dlq_entries ${clause}`,
    params,
  );
  const rows = await sql.query<DlqEntry>(
    `SELECT ${columns} FROM waymark.dlq_entries ${clause} ORDER BY created_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, page.limit, page.offset],
  );
  return { count: Number(count?.n ?? 0), rows };
};

export const matchingIds = async (
  sql: SqlExecutor,
  scope: DlqScope,
  f: DlqFilters,
): Promise<string[]> => {
  const [clause, params] = where(scope, f);
  return (
    await sql.query<{ id: string }>(
      `SELECT id FROM waymark.dlq_entries ${clause} ORDER BY created_at`,
      params,
    )
  ).map((r) => r.id);
};

export const getEntry = async (
  sql: SqlExecutor,
  scope: DlqScope,
  id: string,
  lock = false,
): Promise<DlqEntry | null> => {
  const [clause, params] = where(scope, {});
  const rows = await sql.query<DlqEntry>(
    `SELECT ${columns} FROM waymark.dlq_entries ${clause ? `${clause} AND` : 'WHERE'} id = $${params.length + 1}${lock ? ' FOR UPDATE' : ''}`,
    [...params, id],
  );
  return rows[0] ?? null;
};

export const retryHistory = (sql: SqlExecutor, id: string) =>
  sql.query<{ attempt: number; at: Date; actor: string; outcome: string; error: string | null }>(
    'SELECT attempt, at, actor, outcome, error FROM waymark.dlq_retry_history WHERE entry_id = $1 ORDER BY attempt',
    [id],
  );

/** Records one retry attempt and moves the entry to its new status. */
export const recordRetry = async (
  tx: SqlExecutor,
  id: string,
  change: Readonly<{ status: DlqStatus; actor: string; outcome: string; error: string | null }>,
) => {
  await tx.query(
    `UPDATE waymark.dlq_entries SET status = $2, retry_count = retry_count + 1, last_retry_at = now(), updated_at = now() WHERE id = $1`,
    [id, change.status],
  );
  await tx.query(
    `INSERT INTO waymark.dlq_retry_history (entry_id, attempt, actor, outcome, error)
     SELECT $1, retry_count, $2, $3, $4 FROM waymark.dlq_entries WHERE id = $1`,
    [id, change.actor, change.outcome, change.error],
  );
};

export const deleteEntries = async (tx: SqlExecutor, ids: readonly string[]): Promise<number> =>
  (
    await tx.query<{ id: string }>(
      'DELETE FROM waymark.dlq_entries WHERE id = ANY($1::text[]) RETURNING id',
      [ids],
    )
  ).length;

export const dlqStats = async (sql: SqlExecutor, scope: DlqScope, hours: number) => {
  const [clause, params] = where(scope, {});
  const within = `${clause ? `${clause} AND` : 'WHERE'} created_at >= now() - make_interval(hours => $${params.length + 1})`;
  const grouped = (column: string) =>
    sql.query<{ k: string; n: string }>(
      `SELECT ${column} AS k, count(*) AS n FROM waymark.dlq_entries ${within} GROUP BY 1`,
      [...params, hours],
    );
  const [byStatus, byCategory, byName, totals, outcomes] = await Promise.all([
    grouped('status'),
    grouped('error_category'),
    grouped('group_id'),
    sql.query<{
      total: string;
      retries: string;
      avg: string | null;
      oldest: Date | null;
      newest: Date | null;
      retried: string;
    }>(
      `SELECT count(*) AS total, coalesce(sum(retry_count), 0) AS retries, avg(retry_count) AS avg,
              min(created_at) AS oldest, max(created_at) AS newest, count(*) FILTER (WHERE retry_count > 0) AS retried
       FROM waymark.dlq_entries ${within}`,
      [...params, hours],
    ),
    // Retry attempts by outcome: a resolved attempt succeeded, any other outcome failed.
    sql.query<{ ok: string; failed: string }>(
      `SELECT count(*) FILTER (WHERE h.outcome LIKE 'resolved%') AS ok,
              count(*) FILTER (WHERE h.outcome NOT LIKE 'resolved%') AS failed
       FROM waymark.dlq_retry_history h JOIN waymark.dlq_entries e ON e.id = h.entry_id ${within}`,
      [...params, hours],
    ),
  ]);
  const toMap = (rows: { k: string; n: string }[]) =>
    Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
  return {
    byStatus: toMap(byStatus),
    byCategory: toMap(byCategory),
    byName: toMap(byName),
    totals: totals[0],
    successfulRetries: Number(outcomes[0]?.ok ?? 0),
    failedRetries: Number(outcomes[0]?.failed ?? 0),
  };
};

/** Retention: resolved and abandoned dead letters older than `days` are deleted; pending ones never. */
export const purgeExpired = async (sql: SqlExecutor, days: number): Promise<number> =>
  (
    await sql.query<{ id: string }>(
      `DELETE FROM waymark.dlq_entries WHERE status IN ('resolved', 'abandoned')
         AND updated_at < now() - make_interval(days => $1) RETURNING id`,
      [days],
    )
  ).length;

/**
 * Retention of the recovery log: retry attempts older than `days` are deleted, whatever the
 * entry's status (the entry keeps retry_count and last_retry_at, so the retry limit still holds).
 */
export const purgeRetryHistory = async (sql: SqlExecutor, days: number): Promise<number> =>
  (
    await sql.query<{ entry_id: string }>(
      `DELETE FROM waymark.dlq_retry_history WHERE at < now() - make_interval(days => $1)
         RETURNING entry_id`,
      [days],
    )
  ).length;

/** Statuses that still need someone: resolved and abandoned entries are handled, only retained. */
export const openDlqStatuses = ['pending', 'retrying', 'failed'] as const;

/** Open dead letters per open status (the dlq_queue_depth gauge); absent statuses count 0. */
export const openDepthByStatus = async (sql: SqlExecutor) => {
  const rows = await sql.query<{ status: DlqStatus; n: string }>(
    `SELECT status, count(*) AS n FROM waymark.dlq_entries
       WHERE status IN ('pending', 'retrying', 'failed') GROUP BY status`,
  );
  const depth = new Map(rows.map((r) => [r.status, Number(r.n)]));
  return openDlqStatuses.map((status) => [status, depth.get(status) ?? 0] as const);
};
