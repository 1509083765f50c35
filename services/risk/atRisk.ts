import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { readAtRisk, type AtRiskRow } from '../../projections/risk/riskQueries';
import { minimumScoreOf, type RiskLevel } from './assess';

export type AtRiskDeps = Readonly<{
  sql: SqlExecutor;
  /** The risk read model (waymark.session_risk_v1). */
  riskTable: string;
}>;

/**
 * A tenant's active sessions (all tenants for null) at or above `minimum`, riskiest first, at
 * most `limit`, read from the risk read model: the projector scores a session at each event and
 * the tick as it idles, so this is an indexed read, not a scoring loop. `considered` is every
 * active session of the scope (every row), `total` those at or above the level.
 */
export const readAtRiskSessions = async (
  deps: AtRiskDeps,
  tenantId: string | null,
  minimum: RiskLevel,
  limit: number,
) => {
  const { considered, atRisk, rows } = await readAtRisk(
    deps.sql,
    { tenantId, minimumScore: minimumScoreOf(minimum), limit },
    deps.riskTable,
  );
  return { considered, total: atRisk, sessions: rows };
};

/** The short form the dashboards show. */
export const atRiskSummary = (row: AtRiskRow) => ({
  session_id: row.sessionId,
  risk_level: row.level,
  risk_score: row.score,
  last_activity: row.lastActivityAt.toISOString(),
  current_stage: row.currentStep,
});
