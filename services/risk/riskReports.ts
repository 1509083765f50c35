import type { SessionState } from '../../events/onboarding/state';
import type { Principal } from '../../infra/auth/jwt';
import type { Metrics } from '../../infra/observability/metrics';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { findRestoredSession } from '../recovery/restoredSession';
import type { Restorer } from '../recovery/restoreSession';
import { requireActive } from '../sessions/findSession';
import { requireAdmin, scopeOf } from '../shared/tenantScope';
import { assessRisk, type RiskAssessment, type RiskLevel } from './assess';
import { readAtRiskSessions } from './atRisk';
import type { ModelRepository } from './modelRepository';

export type RiskDeps = Readonly<{
  restore: Restorer;
  models: ModelRepository;
  sql: SqlExecutor;
  /** The risk read model the at-risk list reads. */
  riskTable: string;
  metrics: Metrics;
}>;

/** The risk of one active session now, with the active model or the rule table. */
export const sessionRisk = async (
  deps: RiskDeps,
  who: Principal,
  sessionId: string,
  now: number,
): Promise<{ state: SessionState; assessment: RiskAssessment }> => {
  const found = await findRestoredSession(deps.restore, who, sessionId);
  requireActive(found.state);
  const assessment = assessRisk(found.state, now, await deps.models(found.state.tenantId));
  deps.metrics.riskScored.inc({ scorer: assessment.scorer, risk_level: assessment.risk_level });
  return { state: found.state, assessment };
};

/** Active sessions of the caller's scope at or above a risk level, riskiest first. */
export const atRiskSessions = async (
  deps: RiskDeps,
  who: Principal,
  query: Readonly<{ riskLevel: RiskLevel; clientId: string | undefined; limit: number }>,
) => {
  const { tenantId } = scopeOf(requireAdmin(who), query.clientId);
  return { tenantId, ...(await readAtRiskSessions(deps, tenantId, query.riskLevel, query.limit)) };
};
