import { Router } from 'express';
import { z } from 'zod';
import type { SessionState } from '../../events/onboarding/state';
import { correlationIdOf, principalOf } from '../api/http/context';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { sessionIdParam } from '../sessions/schemas';
import { sessionView } from '../sessions/sessionView';
import { validate } from '../shared/validate';
import { viewReplay, type ReplayDeps } from './viewReplay';

export type ReplayRoutesDeps = ReplayDeps & Readonly<{ limit: RateLimitFactory }>;

export const replayQuery = z
  .object({
    as_of: z.iso.datetime({ offset: true }).optional(),
    from_position: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
  })
  .strict();

const summaryOf = (s: SessionState, totalEvents: number) => ({
  started_at: s.startedAt,
  updated_at: s.lastActivityAt,
  current_state: s.status,
  current_step: s.currentStep,
  total_events: totalEvents,
  duration_minutes:
    Math.round((Date.parse(s.endedAt ?? s.lastActivityAt) - Date.parse(s.startedAt)) / 600) / 100,
});

/** `GET dashboard/session-replay/{id}/`: the timeline from the event stream, audited. */
export const createReplayRoutes = (deps: ReplayRoutesDeps): Router => {
  const router = Router();
  router.get('/dashboard/session-replay/:id/', deps.limit('session_read'), async (req, res) => {
    const who = principalOf(res);
    const sessionId = validate(sessionIdParam, req.params.id, 'session id');
    const query = validate(replayQuery, req.query, 'query');
    const replay = await viewReplay(deps, who, sessionId, {
      asOf: query.as_of,
      fromPosition: query.from_position,
      limit: query.limit,
      correlationId: correlationIdOf(res),
    });
    res.json({
      session_id: sessionId,
      as_of: query.as_of ?? null,
      timeline: replay.timeline,
      next_position: replay.nextPosition,
      session_summary: replay.state === null ? null : summaryOf(replay.state, replay.totalEvents),
      state_as_of: replay.state === null ? null : sessionView(replay.state, replay.totalEvents - 1),
    });
  });
  return router;
};
