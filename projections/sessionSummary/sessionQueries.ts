import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import type { SessionSummary } from './sessionSummary';
import { liveSessionSummaryTable, safeName, upcastState } from './sessionSummaryTable';

/** Resumed sessions, and those of them that went on to complete a step or the session. */
export const recoveryCounts = async (sql: SqlExecutor, table = liveSessionSummaryTable) => {
  const [row] = await sql.query<{ resumed: string; progressed: string }>(
    `SELECT count(*) FILTER (WHERE resumes > 0) AS resumed,
            count(*) FILTER (WHERE resumes > 0 AND (state->>'progressedAfterResume')::boolean) AS progressed
       FROM ${safeName(table)}`,
  );
  return { resumed: Number(row?.resumed ?? 0), progressed: Number(row?.progressed ?? 0) };
};

export type IdleSession = Readonly<{
  sessionId: string;
  tenantId: string;
  /** The stream position the read model has seen: the version an append must expect. */
  lastPosition: number;
  lastActivityAt: Date;
  state: SessionSummary['state'];
  /** Where a page ending with this session ends: pass it as `after` for the next page. */
  cursor: IdleCursor;
}>;

/** A keyset cursor: the database's exact timestamp (microseconds, as text) and the session id. */
export type IdleCursor = Readonly<{ activityKey: string; sessionId: string }>;

/**
 * Active sessions idle since before `before`, the longest idle first, at most `limit`, after
 * `after` when given (keyset paging, so a page of sessions that cannot be abandoned does not hide
 * the ones behind it).
 */
export const idleActiveSessions = async (
  sql: SqlExecutor,
  before: Date,
  limit: number,
  { table = liveSessionSummaryTable, after }: { table?: string; after?: IdleCursor } = {},
): Promise<IdleSession[]> => {
  const rows = await sql.query<{
    session_id: string;
    last_position: string;
    last_activity_at: Date | string;
    activity_key: string;
    tenant_id: string;
    state: SessionSummary['state'];
  }>(
    `SELECT session_id, last_position, last_activity_at, last_activity_at::text AS activity_key,
            tenant_id, state FROM ${safeName(table)}
      WHERE status = 'active' AND last_activity_at < $1
        AND ($3::timestamptz IS NULL OR (last_activity_at, session_id) > ($3::timestamptz, $4::text))
      ORDER BY last_activity_at, session_id LIMIT $2`,
    [before.toISOString(), limit, after?.activityKey ?? null, after?.sessionId ?? null],
  );
  return rows.map((r) => ({
    sessionId: r.session_id,
    tenantId: r.tenant_id,
    lastPosition: Number(r.last_position),
    lastActivityAt: new Date(r.last_activity_at),
    state: upcastState(r.state, Number(r.last_position)),
    cursor: { activityKey: r.activity_key, sessionId: r.session_id },
  }));
};

/** Every session of one user of a tenant (what an erasure must find). */
export const sessionIdsOfUser = async (
  sql: SqlExecutor,
  tenantId: string,
  userId: string,
  table = liveSessionSummaryTable,
): Promise<string[]> =>
  (
    await sql.query<{ session_id: string }>(
      `SELECT session_id FROM ${safeName(table)} WHERE tenant_id = $1 AND user_id = $2`,
      [tenantId, userId],
    )
  ).map((r) => r.session_id);
