import type { SessionState } from '../../events/onboarding/state';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { safeName, upcastState } from '../sessionSummary/sessionSummaryTable';
import type { ScoredRisk } from './riskScorer';

/** The live table, created by migrations/015_session_risk_v1.sql. */
export const liveRiskTable = 'waymark.session_risk_v1';

/** A row of the risk read model. */
export type RiskRow = ScoredRisk &
  Readonly<{
    sessionId: string;
    tenantId: string;
    userId: string;
    lastPosition: number;
    currentStep: string | null;
    startedAt: string;
    lastActivityAt: string;
    scoredAt: string;
  }>;

/** Pure: the row of a session at `lastPosition` scored at `now`. */
export const riskRowOf = (
  state: SessionState,
  lastPosition: number,
  scored: ScoredRisk,
  now: number,
): RiskRow => ({
  ...scored,
  sessionId: state.sessionId,
  tenantId: state.tenantId,
  userId: state.userId,
  lastPosition,
  currentStep: state.currentStep,
  startedAt: state.startedAt,
  lastActivityAt: state.lastActivityAt,
  scoredAt: new Date(now).toISOString(),
});

const recordsOf = (rows: readonly RiskRow[]) =>
  JSON.stringify(
    [...rows]
      .sort((a, b) => (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0))
      .map((r) => ({
        session_id: r.sessionId,
        tenant_id: r.tenantId,
        user_id: r.userId,
        last_position: r.lastPosition,
        score: r.score,
        level: r.level,
        scorer: r.scorer,
        model_version: r.modelVersion,
        features: r.features,
        intervention_priority: r.interventionPriority,
        recommended_action: r.recommendedAction,
        current_step: r.currentStep,
        started_at: r.startedAt,
        last_activity_at: r.lastActivityAt,
        scored_at: r.scoredAt,
      })),
  );

const columns =
  'session_id, tenant_id, user_id, last_position, score, level, scorer, model_version, features, ' +
  'intervention_priority, recommended_action, current_step, started_at, last_activity_at, scored_at';
const updates = columns
  .split(', ')
  .filter((c) => c !== 'session_id')
  .map((c) => `${c} = EXCLUDED.${c}`)
  .join(', ');

/**
 * Writes the rows an event batch scored (in session order, so concurrent batches lock in the same
 * order) and deletes the ended sessions'. The summary's position guard has run, so a row is newer
 * than the stored one, except when a dead letter's redrive rebuilt a session to the position it
 * had: then a later score of that same state (the tick's) is kept.
 */
export const saveRisks = async (
  tx: SqlExecutor,
  table: string,
  rows: readonly RiskRow[],
  ended: readonly string[],
) => {
  if (ended.length > 0)
    await tx.query(`DELETE FROM ${safeName(table)} WHERE session_id = ANY($1::text[])`, [ended]);
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO ${safeName(table)} AS r (${columns})
     SELECT ${columns} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
     ON CONFLICT (session_id) DO UPDATE SET ${updates}
     WHERE r.last_position <> EXCLUDED.last_position OR r.scored_at <= EXCLUDED.scored_at`,
    [recordsOf(rows)],
  );
};

/**
 * The tick's writes: each row only if no event has moved the session since the state it was
 * scored from was read (same `last_position`) and nothing scored it later. A row an event batch
 * holds locked is waited for, then re-checked, so the tick never overwrites a fresher score.
 */
export const saveRescored = async (tx: SqlExecutor, table: string, rows: readonly RiskRow[]) => {
  if (rows.length === 0) return 0;
  const sets = updates.replaceAll('EXCLUDED.', 'v.');
  const done = await tx.query<{ session_id: string }>(
    `UPDATE ${safeName(table)} r SET ${sets}
       FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) v
      WHERE r.session_id = v.session_id AND r.last_position = v.last_position
        AND r.scored_at <= v.scored_at
     RETURNING r.session_id`,
    [recordsOf(rows)],
  );
  return done.length;
};

/** A keyset cursor of the tick: the exact scored_at (as text) and the session id. */
export type ScoredCursor = Readonly<{ scoredKey: string; sessionId: string }>;

export type StaleRisk = Readonly<{
  state: SessionState;
  lastPosition: number;
  cursor: ScoredCursor;
}>;

/**
 * Rows scored before `before`, the longest ago first, at most `limit`, after `after`, with the
 * session's folded state from the summary (what the tick scores again). The cursor, not the
 * new scored_at, moves the tick on, so a row it could not write is not read again in a loop.
 */
export const staleRisks = async (
  sql: SqlExecutor,
  tables: Readonly<{ risk: string; summary: string }>,
  page: Readonly<{ before: Date; limit: number; after: ScoredCursor | undefined }>,
): Promise<StaleRisk[]> => {
  const { before, limit, after } = page;
  const rows = await sql.query<{
    state: SessionState;
    last_position: string | number;
    scored_key: string;
    session_id: string;
  }>(
    `SELECT s.state, s.last_position, r.scored_at::text AS scored_key, r.session_id
       FROM ${safeName(tables.risk)} r
       JOIN ${safeName(tables.summary)} s ON s.session_id = r.session_id
      WHERE r.scored_at < $1
        AND ($3::timestamptz IS NULL OR (r.scored_at, r.session_id) > ($3::timestamptz, $4::text))
        AND s.status = 'active'
      ORDER BY r.scored_at, r.session_id LIMIT $2`,
    [before.toISOString(), limit, after?.scoredKey ?? null, after?.sessionId ?? null],
  );
  return rows.map((r) => ({
    state: upcastState(r.state, Number(r.last_position)),
    lastPosition: Number(r.last_position),
    cursor: { scoredKey: r.scored_key, sessionId: r.session_id },
  }));
};
