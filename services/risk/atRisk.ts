import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { activeSessionStates } from '../../projections/sessionSummary/sessionQueries';
import { assessRisk, riskLevels, type RiskLevel } from './assess';
import type { ModelRepository } from './modelRepository';

export type AtRiskDeps = Readonly<{
  sql: SqlExecutor;
  table: string;
  models: ModelRepository;
  /** How many of a tenant's most idle active sessions are scored. */
  candidateCap: number;
}>;

/**
 * Scores a tenant's most idle active sessions (all tenants for null) and keeps those at or above
 * `minimum`, riskiest first. Cancelled and finished sessions are never candidates.
 */
export const scoreAtRisk = async (
  deps: AtRiskDeps,
  tenantId: string | null,
  now: number,
  minimum: RiskLevel,
) => {
  const candidates = await activeSessionStates(deps.sql, deps.table, tenantId, deps.candidateCap);
  const scored = await Promise.all(
    candidates.map(async (state) => ({
      state,
      assessment: assessRisk(state, now, await deps.models(state.tenantId)),
    })),
  );
  const floor = riskLevels.indexOf(minimum);
  const atRisk = scored
    .filter(({ assessment }) => riskLevels.indexOf(assessment.risk_level) >= floor)
    .sort((x, y) => y.assessment.risk_score - x.assessment.risk_score);
  return { candidates: candidates.length, scored, atRisk };
};

/** The short form the dashboards show. */
export const atRiskSummary = (
  entry: Awaited<ReturnType<typeof scoreAtRisk>>['atRisk'][number],
) => ({
  session_id: entry.state.sessionId,
  risk_level: entry.assessment.risk_level,
  risk_score: entry.assessment.risk_score,
  last_activity: entry.state.lastActivityAt,
  current_stage: entry.state.currentStep,
});
