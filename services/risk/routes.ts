import { Router } from 'express';
import { z } from 'zod';
import type { SessionState } from '../../events/onboarding/state';
import type { Metrics } from '../../infra/observability/metrics';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { scoreAtRisk } from './atRisk';
import type { Restorer } from '../recovery/restoreSession';
import { assessRisk, riskLevels, type RiskAssessment } from './assess';
import type { ModelRepository } from './modelRepository';
import { adminOf, scopeOf } from '../shared/tenantScope';
import { principalOf } from '../api/http/context';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { restoredSession } from '../recovery/restoredSession';
import { requireActive } from '../sessions/sessionLookup';
import { validate } from '../api/http/validate';

export type RiskDeps = Readonly<{
  restore: Restorer;
  models: ModelRepository;
  sql: SqlExecutor;
  table: string;
  clock: () => Date;
  metrics: Metrics;
  limit: RateLimitFactory;
  /** How many of a tenant's most idle active sessions the at-risk list scores. */
  candidateCap: number;
}>;

const atRiskQuery = z
  .object({
    risk_level: z.enum(riskLevels).default('high'),
    limit: z.coerce.number().int().min(1).max(200).default(20),
    client_id: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/)
      .optional(),
  })
  .strict();

const context = (s: SessionState, now: number) => ({
  last_activity: s.lastActivityAt,
  session_age_minutes: Math.round((now - Date.parse(s.startedAt)) / 600) / 100,
  current_stage: s.currentStep,
});

/** `GET sessions/{id}/risk/` and `GET admin/at-risk-sessions/` (README, "Abandonment risk"). */
export const createRiskRoutes = (deps: RiskDeps): Router => {
  const router = Router();
  const score = async (s: SessionState, now: number): Promise<RiskAssessment> => {
    const assessment = assessRisk(s, now, await deps.models(s.tenantId));
    deps.metrics.riskScored.inc({ scorer: assessment.scorer, risk_level: assessment.risk_level });
    return assessment;
  };

  router.get('/sessions/:id/risk/', deps.limit('session_read'), async (req, res) => {
    const found = await restoredSession(deps.restore, req, principalOf(res));
    requireActive(found.state);
    const now = deps.clock().getTime();
    res.json({
      session_id: found.sessionId,
      ...(await score(found.state, now)),
      ...context(found.state, now),
      assessed_at: new Date(now).toISOString(),
    });
  });

  router.get('/admin/at-risk-sessions/', async (req, res) => {
    const who = adminOf(res);
    const query = validate(atRiskQuery, req.query, 'query');
    const { tenantId: tenant } = scopeOf(who, query.client_id);
    const now = deps.clock().getTime();
    const { candidates, scored, atRisk } = await scoreAtRisk(deps, tenant, now, query.risk_level);
    scored.forEach(({ assessment: a }) =>
      deps.metrics.riskScored.inc({ scorer: a.scorer, risk_level: a.risk_level }),
    );
    res.json({
      total_at_risk: atRisk.length,
      candidates_scored: candidates,
      filters: { risk_level: query.risk_level, limit: query.limit, client_id: tenant },
      sessions: atRisk.slice(0, query.limit).map(({ state: s, assessment: a }) => ({
        session_id: s.sessionId,
        user_id: s.userId,
        risk_score: a.risk_score,
        risk_level: a.risk_level,
        scorer: a.scorer,
        ...context(s, now),
        intervention_priority: a.intervention_recommendation.priority,
        recommended_action: a.intervention_recommendation.actions[0] ?? null,
      })),
    });
  });
  return router;
};
