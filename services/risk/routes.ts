import { Router } from 'express';
import { z } from 'zod';
import type { SessionState } from '../../events/onboarding/state';
import { principalOf } from '../api/http/context';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { sessionIdParam } from '../sessions/schemas';
import { requireAdmin } from '../shared/tenantScope';
import { validate } from '../shared/validate';
import { riskLevels } from './assess';
import { atRiskSessions, sessionRisk, type RiskDeps } from './riskReports';

export type RiskRoutesDeps = RiskDeps & Readonly<{ clock: () => Date; limit: RateLimitFactory }>;

export const atRiskQuery = z
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

/** `GET sessions/{id}/risk/` and `GET admin/at-risk-sessions/` (services/risk/README.md). */
export const createRiskRoutes = (deps: RiskRoutesDeps): Router => {
  const router = Router();

  router.get('/sessions/:id/risk/', deps.limit('session_read'), async (req, res) => {
    const sessionId = validate(sessionIdParam, req.params.id, 'session id');
    const now = deps.clock().getTime();
    const { state, assessment } = await sessionRisk(deps, principalOf(res), sessionId, now);
    res.json({
      session_id: sessionId,
      ...assessment,
      ...context(state, now),
      assessed_at: new Date(now).toISOString(),
    });
  });

  router.get('/admin/at-risk-sessions/', deps.limit('admin'), async (req, res) => {
    const who = requireAdmin(principalOf(res));
    const query = validate(atRiskQuery, req.query, 'query');
    const now = deps.clock().getTime();
    const { tenantId, candidates, atRisk } = await atRiskSessions(
      deps,
      who,
      { riskLevel: query.risk_level, clientId: query.client_id },
      now,
    );
    res.json({
      total_at_risk: atRisk.length,
      candidates_scored: candidates,
      filters: { risk_level: query.risk_level, limit: query.limit, client_id: tenantId },
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
