import { Router } from 'express';
import { callerOf, principalOf } from '../api/http/context';
import { validate } from '../shared/validate';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { AppError } from '../shared/appError';
import type { AppendActivities } from './appendActivities';
import { findReadableSession } from './findSession';
import type { SessionLoader } from './handleCommand';
import { appendEventsBody, sessionIdParam, startSessionBody } from './schemas';
import { sessionView } from './sessionView';
import type { StartSession } from './startSession';

export type SessionRoutesDeps = Readonly<{
  load: SessionLoader;
  startSession: StartSession;
  appendActivities: AppendActivities;
  clock: () => Date;
  maxEventsPerRequest: number;
  limit: RateLimitFactory;
}>;

/** Start a session, record its activity, read it: HTTP in, one use case, HTTP out. */
export const createSessionRoutes = (deps: SessionRoutesDeps): Router => {
  const router = Router();
  const eventsBody = appendEventsBody(deps.maxEventsPerRequest);

  router.post('/conversation/start/', deps.limit('session_start'), async (req, res) => {
    const { who, ctx } = callerOf(res, deps.clock());
    const body = validate(startSessionBody, req.body);
    const result = await deps.startSession(
      who,
      {
        userId: body.user_id,
        flowId: body.flow_id,
        language: body.language,
        channel: body.channel,
        userType: body.user_type,
        clientContext: body.client_context,
        resumeExisting: body.resume_existing,
      },
      ctx,
    );
    const { session } = result;
    if (result.outcome === 'active_session_exists') {
      throw new AppError(
        'conflict',
        'active_session_exists',
        'the user already has an active session',
        {
          extra: { existing_session_id: session.sessionId, session_state: session.status },
        },
      );
    }
    res.status(result.outcome === 'started' ? 201 : 200).json({
      conversation_id: session.sessionId,
      resumed: result.outcome === 'resumed',
      current_state: session.status,
      session: sessionView(session, result.version),
    });
  });

  router.post('/sessions/:id/events/', deps.limit('session_events'), async (req, res) => {
    const { who, ctx } = callerOf(res, deps.clock());
    const body = validate(eventsBody, req.body);
    const sessionId = validate(sessionIdParam, req.params.id, 'session id');
    const result = await deps.appendActivities(
      who,
      sessionId,
      { activities: body.events, expectedVersion: body.expected_version },
      ctx,
    );
    res
      .status(201)
      .json({ session_id: sessionId, version: result.version, appended: result.appended });
  });

  router.get('/sessions/:id/', deps.limit('session_read'), async (req, res) => {
    const sessionId = validate(sessionIdParam, req.params.id, 'session id');
    const { state, version } = await findReadableSession(deps.load, principalOf(res), sessionId);
    res.json(sessionView(state, version));
  });

  return router;
};
