import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { questionRepeats, type SessionSummary } from './sessionSummary';

/** Table names are code constants (live, or a rebuild's fresh table), never user input. */
export const safeName = (table: string): string => {
  if (!/^waymark\.[a-z_][a-z0-9_]{0,62}$/.test(table)) throw new Error(`bad table name ${table}`);
  return table;
};

/** The live table, created by migrations/007_session_summary_v1.sql. */
export const liveSessionSummaryTable = 'waymark.session_summary_v1';

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
