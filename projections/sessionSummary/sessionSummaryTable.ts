import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { questionRepeats, type SessionSummary } from './sessionSummary';

/** Table names are code constants (live, or a rebuild's fresh table), never user input. */
const safeName = (table: string): string => {
  if (!/^waymark\.[a-z_][a-z0-9_]{0,62}$/.test(table)) throw new Error(`bad table name ${table}`);
  return table;
};

export const liveSessionSummaryTable = 'waymark.session_summary_v1';

/**
 * Flattened columns for queries (analytics, risk, recovery build on them) plus the folded state
 * as jsonb, which the next event evolves. `last_position` is the per-session position guard.
 */
export const createSessionSummaryTable = async (tx: SqlExecutor, table: string): Promise<void> => {
  await tx.query(`CREATE TABLE IF NOT EXISTS ${safeName(table)} (
    session_id text PRIMARY KEY,
    last_position bigint NOT NULL,
    tenant_id text NOT NULL,
    user_id text NOT NULL,
    flow_id text NOT NULL,
    flow_version int NOT NULL,
    status text NOT NULL,
    current_step text,
    current_step_index int,
    furthest_step_index int NOT NULL,
    furthest_step_reached_at timestamptz,
    started_at timestamptz NOT NULL,
    last_activity_at timestamptz NOT NULL,
    ended_at timestamptz,
    errors int NOT NULL,
    question_repeats int NOT NULL,
    upload_rejections int NOT NULL,
    rate_limit_hits int NOT NULL,
    checkpoints int NOT NULL,
    resumes int NOT NULL,
    language text NOT NULL,
    channel text NOT NULL,
    user_type text NOT NULL,
    client_id text,
    state jsonb NOT NULL,
    stages jsonb NOT NULL
  )`);
  // Analytics scan by tenant and start time; the stage stats ride along in the same row.
  await tx.query(
    `CREATE INDEX IF NOT EXISTS ${safeName(table).slice('waymark.'.length)}_tenant_started
       ON ${safeName(table)} (tenant_id, flow_id, started_at)`,
  );
  // Realtime and overview look at recent activity.
  await tx.query(
    `CREATE INDEX IF NOT EXISTS ${safeName(table).slice('waymark.'.length)}_tenant_activity
       ON ${safeName(table)} (tenant_id, last_activity_at)`,
  );
};

type Row = {
  session_id: string;
  last_position: string | number;
  state: SessionSummary['state'];
  furthest_step_reached_at: Date | string | null;
  stages: SessionSummary['stages'];
};

const iso = (value: Date | string | null): string | null =>
  value === null
    ? null
    : value instanceof Date
      ? value.toISOString()
      : new Date(value).toISOString();

/**
 * Rows written before a SessionState field existed lack it: fill in what the field would have
 * been (tolerant reader), so the next event evolves a complete state without a rebuild.
 */
export const upcastState = (
  state: SessionSummary['state'],
  lastPosition: number,
): SessionSummary['state'] => ({
  ...state,
  checkpoints: state.checkpoints ?? [],
  progressedAfterResume: state.progressedAfterResume ?? false,
  eventCount: state.eventCount ?? lastPosition + 1,
  endReason: state.endReason ?? null,
  rateLimitHits: state.rateLimitHits ?? 0,
});

/** Loads (and locks) the summaries of the given sessions. */
export const loadSummaries = async (
  tx: SqlExecutor,
  table: string,
  sessionIds: readonly string[],
) => {
  const rows = await tx.query<Row>(
    `SELECT session_id, last_position, state, furthest_step_reached_at, stages FROM ${safeName(table)}
     WHERE session_id = ANY($1::text[]) ORDER BY session_id FOR UPDATE`,
    [sessionIds],
  );
  return new Map(
    rows.map((r): [string, SessionSummary] => [
      r.session_id,
      {
        sessionId: r.session_id,
        lastPosition: Number(r.last_position),
        state: upcastState(r.state, Number(r.last_position)),
        furthestStepReachedAt: iso(r.furthest_step_reached_at),
        stages: {
          ...r.stages,
          rateLimitHits: r.stages.rateLimitHits ?? r.stages.errors.map(() => 0),
        },
      },
    ]),
  );
};

/** Upserts many summaries in one statement. */
export const saveSummaries = async (
  tx: SqlExecutor,
  table: string,
  summaries: readonly SessionSummary[],
) => {
  if (summaries.length === 0) return;
  const rows = summaries.map(
    ({ sessionId, lastPosition, state: s, furthestStepReachedAt, stages }) => ({
      session_id: sessionId,
      last_position: lastPosition,
      tenant_id: s.tenantId,
      user_id: s.userId,
      flow_id: s.flowId,
      flow_version: s.flowVersion,
      status: s.status,
      current_step: s.currentStep,
      current_step_index: s.currentStep === null ? null : s.steps.indexOf(s.currentStep),
      furthest_step_index: s.furthestStepIndex,
      furthest_step_reached_at: furthestStepReachedAt,
      started_at: s.startedAt,
      last_activity_at: s.lastActivityAt,
      ended_at: s.endedAt,
      errors: s.errorCount,
      question_repeats: questionRepeats(s),
      upload_rejections: s.uploadsRejected,
      rate_limit_hits: s.rateLimitHits,
      checkpoints: s.checkpointVersion,
      resumes: s.resumeCount,
      language: s.language,
      channel: s.channel,
      user_type: s.userType,
      client_id: s.clientId,
      state: s,
      stages,
    }),
  );
  const columns = Object.keys(rows[0] ?? {});
  await tx.query(
    `INSERT INTO ${safeName(table)} (${columns.join(', ')})
     SELECT ${columns.join(', ')} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
     ON CONFLICT (session_id) DO UPDATE SET ${columns
       .filter((c) => c !== 'session_id')
       .map((c) => `${c} = EXCLUDED.${c}`)
       .join(', ')}`,
    [JSON.stringify(rows)],
  );
};

/**
 * Active sessions of a tenant (all tenants for null), the longest idle first, at most `cap`: the
 * candidates the at-risk list scores. Idle time dominates risk, so the cap keeps the riskiest.
 */
export const activeSessionStates = async (
  sql: SqlExecutor,
  table: string,
  tenantId: string | null,
  cap: number,
): Promise<SessionSummary['state'][]> => {
  const rows = await sql.query<{ state: SessionSummary['state']; last_position: string | number }>(
    `SELECT state, last_position FROM ${safeName(table)}
      WHERE ($1::text IS NULL OR tenant_id = $1) AND status = 'active'
      ORDER BY last_activity_at ASC LIMIT $2`,
    [tenantId, cap],
  );
  return rows.map((r) => upcastState(r.state, Number(r.last_position)));
};

/** Resumed sessions, and those of them that went on to complete a step or the session. */
export const recoveryCounts = async (sql: SqlExecutor, table: string) => {
  const [row] = await sql.query<{ resumed: string; progressed: string }>(
    `SELECT count(*) FILTER (WHERE resumes > 0) AS resumed,
            count(*) FILTER (WHERE resumes > 0 AND (state->>'progressedAfterResume')::boolean) AS progressed
       FROM ${safeName(table)}`,
  );
  return { resumed: Number(row?.resumed ?? 0), progressed: Number(row?.progressed ?? 0) };
};
