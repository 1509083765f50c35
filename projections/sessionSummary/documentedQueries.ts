import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import type { SessionScope } from './funnelQueries';

/**
 * Two reads for the documented analytics shapes (services/analytics/presenters/): sessions
 * started per time bucket with how many completed, and the sessions with errors active lately.
 */
export const startsByBucket = async (
  sql: SqlExecutor,
  scope: SessionScope,
  unit: 'hour' | 'day' | 'week',
) =>
  (
    await sql.query<{ bucket: Date | string; total: string; completed: string }>(
      `SELECT date_trunc('${unit}', started_at) AS bucket, count(*) AS total,
              count(*) FILTER (WHERE status = 'completed') AS completed
         FROM ${scope.table}
        WHERE ($1::text IS NULL OR tenant_id = $1) AND flow_id = $2
          AND started_at >= $3 AND started_at < $4
        GROUP BY 1 ORDER BY 1`,
      [scope.tenantId, scope.flowId, scope.from.toISOString(), scope.to.toISOString()],
    )
  ).map((r) => ({
    bucket: new Date(r.bucket).toISOString(),
    total: Number(r.total),
    completed: Number(r.completed),
  }));

/** Sessions active since `since` that recorded at least one error, most recent first. */
export const recentErrorSessions = async (
  sql: SqlExecutor,
  q: Readonly<{ table: string; tenantId: string | null; since: Date; limit: number }>,
) =>
  (
    await sql.query<{
      session_id: string;
      last_activity_at: Date | string;
      current_step: string | null;
      errors: number;
    }>(
      `SELECT session_id, last_activity_at, current_step, errors FROM ${q.table}
        WHERE ($1::text IS NULL OR tenant_id = $1) AND errors > 0 AND last_activity_at >= $2
        ORDER BY last_activity_at DESC LIMIT $3`,
      [q.tenantId, q.since.toISOString(), q.limit],
    )
  ).map((r) => ({
    sessionId: r.session_id,
    lastActivityAt: new Date(r.last_activity_at).toISOString(),
    stage: r.current_step,
    errors: Number(r.errors),
  }));
