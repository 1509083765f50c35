import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { safeName } from '../sessionSummary/sessionSummaryTable';
import { liveRiskTable } from './riskTable';

/** What the at-risk list and the dashboards show of a row. */
export type AtRiskRow = Readonly<{
  sessionId: string;
  userId: string;
  score: number;
  level: string;
  scorer: string;
  interventionPriority: string;
  recommendedAction: string | null;
  currentStep: string | null;
  startedAt: Date;
  lastActivityAt: Date;
}>;

type Scope = Readonly<{
  /** null: every tenant (a superadmin). */
  tenantId: string | null;
  /** The lowest score of the lowest level asked for (a level is a score range). */
  minimumScore: number;
  limit: number;
}>;

// Two statements, not `$1 IS NULL OR tenant_id = $1`: each shape keeps its own index.
const where = (tenantId: string | null) =>
  tenantId === null ? 'score >= $1' : 'tenant_id = $2 AND score >= $1';

/**
 * The riskiest rows of a scope at or above a score, and how many rows the scope has in all and
 * at or above it: two index range scans (session_risk_v1_tenant_score), no scoring.
 */
export const readAtRisk = async (sql: SqlExecutor, scope: Scope, table = liveRiskTable) => {
  const params =
    scope.tenantId === null ? [scope.minimumScore] : [scope.minimumScore, scope.tenantId];
  const [rows, counts] = await Promise.all([
    sql.query<{
      session_id: string;
      user_id: string;
      score: number;
      level: string;
      scorer: string;
      intervention_priority: string;
      recommended_action: string | null;
      current_step: string | null;
      started_at: Date | string;
      last_activity_at: Date | string;
    }>(
      `SELECT session_id, user_id, score, level, scorer, intervention_priority, recommended_action,
              current_step, started_at, last_activity_at
         FROM ${safeName(table)} WHERE ${where(scope.tenantId)}
        ORDER BY score DESC, last_activity_at, session_id LIMIT ${Math.trunc(scope.limit)}`,
      params,
    ),
    sql.query<{ considered: string | number; at_risk: string | number }>(
      `SELECT count(*) AS considered, count(*) FILTER (WHERE score >= $1) AS at_risk
         FROM ${safeName(table)}${scope.tenantId === null ? '' : ' WHERE tenant_id = $2'}`,
      params,
    ),
  ]);
  return {
    considered: Number(counts[0]?.considered ?? 0),
    atRisk: Number(counts[0]?.at_risk ?? 0),
    rows: rows.map((r): AtRiskRow => ({
      sessionId: r.session_id,
      userId: r.user_id,
      score: Number(r.score),
      level: r.level,
      scorer: r.scorer,
      interventionPriority: r.intervention_priority,
      recommendedAction: r.recommended_action,
      currentStep: r.current_step,
      startedAt: new Date(r.started_at),
      lastActivityAt: new Date(r.last_activity_at),
    })),
  };
};
