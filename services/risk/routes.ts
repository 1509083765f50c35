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

const ageMinutes = (startedAt: number, now: number) => Math.round((now - startedAt) / 600) / 100;

const context = (s: SessionState, now: number) => ({
  last_activity: s.lastActivityAt,
  session_age_minutes: ageMinutes(Date.parse(s.startedAt), now),
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
    const { tenantId, considered, total, sessions } = await atRiskSessions(deps, who, {
      riskLevel: query.risk_level,
      clientId: query.client_id,
      limit: query.limit,
    });
    res.json({
      total_at_risk: total,
      // The rows of the risk read model considered: every active session of the scope.
      candidates_scored: considered,
      filters: { risk_level: query.risk_level, limit: query.limit, client_id: tenantId },
      sessions: sessions.map((s) => ({
        session_id: s.sessionId,
        user_id: s.userId,
        risk_score: s.score,
        risk_level: s.level,
        scorer: s.scorer,
        last_activity: s.lastActivityAt.toISOString(),
        session_age_minutes: ageMinutes(s.startedAt.getTime(), now),
        current_stage: s.currentStep,
        intervention_priority: s.interventionPriority,
        recommended_action: s.recommendedAction,
      })),
    });
  });
  return router;
};
