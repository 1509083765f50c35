import { Router } from 'express';
import { z } from 'zod';
import { onboardingStream } from '../../events/streamNames';
import { fold, type SessionState } from '../../events/onboarding/state';
import { asOnboardingEvents } from '../sessions/loadSession';
import { actorOf } from '../shared/tenantScope';
import { audit } from '../../infra/postgres/auditLog';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { replaySession } from './sessionReplay';
import { correlationIdOf, principalOf } from '../api/http/context';
import { HttpError } from '../api/http/httpError';
import { sessionIdParam } from '../sessions/schemas';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { requireReadable } from '../sessions/sessionLookup';
import { sessionView } from '../sessions/sessionView';
import { validate } from '../api/http/validate';

export type ReplayDeps = Readonly<{
  eventStore: EventStore;
  sql: SqlExecutor;
  limit: RateLimitFactory;
}>;

const replayQuery = z
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
export const createReplayRoutes = (deps: ReplayDeps): Router => {
  const router = Router();
  router.get('/dashboard/session-replay/:id/', deps.limit('session_read'), async (req, res) => {
    const who = principalOf(res);
    const sessionId = validate(sessionIdParam, req.params.id, 'session id');
    const query = validate(replayQuery, req.query, 'query');
    const { events } = await deps.eventStore.readStream(onboardingStream(sessionId));
    const asOf = query.as_of === undefined ? null : new Date(query.as_of);
    const whole = requireReadable(who, fold(asOnboardingEvents(events)));
    // Replay is for the session's owner and its tenant's admins; services do not watch users.
    if (who.role === 'service')
      throw new HttpError(403, 'forbidden', 'replay is for the owner and admins');
    const replay = replaySession(events, asOf, {
      fromPosition: query.from_position,
      limit: query.limit,
    });
    await audit(deps.sql, {
      tenantId: whole.tenantId,
      actor: actorOf(who),
      action: 'session.replay_view',
      target: sessionId,
      details: { as_of: query.as_of ?? null, events: replay.timeline.length },
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
