import { z } from 'zod';
import { count, isoDate, sessionIdPath } from '../api/contract/common';
import type { RouteSpec } from '../api/contract/routeSpec';
import { atRiskQuery } from './routes';

const level = z.enum(['low', 'medium', 'high', 'critical']);
const context = {
  last_activity: isoDate,
  session_age_minutes: z.number(),
  current_stage: z.string().nullable(),
};

export const riskRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/sessions/:id/risk/',
    operationId: 'getSessionRisk',
    summary: 'Abandonment risk of a session (0–100)',
    tag: 'risk',
    rateLimit: 'session_read',
    params: { id: sessionIdPath },
    responses: {
      200: {
        description: 'the assessment',
        schema: z.strictObject({
          session_id: z.string(),
          scorer: z.string().describe('rules, or the trained model'),
          risk_score: z.number().min(0).max(100),
          risk_level: level,
          predicted_abandonment_probability: z.number().min(0).max(1),
          risk_factors: z.array(
            z.strictObject({
              factor: z.string(),
              value: z.number(),
              weight: z.number(),
              contribution: z.number(),
              description: z.string(),
            }),
          ),
          intervention_recommendation: z.strictObject({
            type: z.string(),
            priority: z.string(),
            message: z.string(),
            actions: z.array(z.string()),
          }),
          ...context,
          assessed_at: isoDate,
        }),
      },
    },
    errors: ['forbidden', 'session_not_found', 'session_ended'],
  },
  {
    method: 'get',
    path: '/admin/at-risk-sessions/',
    operationId: 'listAtRiskSessions',
    summary: 'Active sessions at or above a risk level (admins)',
    tag: 'risk',
    rateLimit: 'admin',
    query: atRiskQuery,
    responses: {
      200: {
        description: 'the sessions',
        schema: z.strictObject({
          total_at_risk: count.describe('active sessions of the scope at or above the level'),
          candidates_scored: count.describe(
            'rows of the risk read model considered: every active session of the scope (each scored at its last event and again by the tick as it idles)',
          ),
          filters: z.strictObject({
            risk_level: level,
            limit: count,
            client_id: z.string().nullable(),
          }),
          sessions: z.array(
            z.strictObject({
              session_id: z.string(),
              user_id: z.string(),
              risk_score: z.number().min(0).max(100),
              risk_level: level,
              scorer: z.string(),
              ...context,
              intervention_priority: z.string(),
              recommended_action: z.string().nullable(),
            }),
          ),
        }),
      },
    },
    errors: ['forbidden'],
  },
];
