import { Router } from 'express';
import type { Flow } from '../../events/onboarding/flows';
import type { SessionState } from '../../events/onboarding/state';
import { onboardingStream } from '../../events/streamNames';
import type { Principal } from '../../infra/auth/jwt';
import type { EventStore } from '../../infra/eventStore/eventStore';
import type { CommandHandler } from './handleCommand';
import { canWriteSession } from '../shared/sessionAccess';
import type { createStartSession } from './startSession';
import { toCommand } from './activityCommands';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { correlationIdOf, principalOf } from '../api/http/context';
import { HttpError } from '../api/http/httpError';
import { appendEventsBody, startSessionBody, type Activity } from './schemas';
import { subjectOf } from '../../events/sealed';
import type { FieldCipher } from '../../infra/privacy/fieldCipher';
import { metadataFor, readableSession } from './sessionLookup';
import { sessionView } from './sessionView';
import { validate } from '../api/http/validate';

/** An answer's text, sealed with the session subject's key before anything stores it. */
const sealAnswer = (cipher: FieldCipher, state: SessionState, activity: Activity) =>
  activity.type === 'question_answered' && activity.answer !== undefined
    ? cipher.seal(subjectOf(state.tenantId, state.userId), activity.answer)
    : Promise.resolve(null);

export type SessionRoutesDeps = Readonly<{
  cipher: FieldCipher;
  eventStore: EventStore;
  handle: CommandHandler;
  startSession: ReturnType<typeof createStartSession>;
  flows: ReadonlyMap<string, Flow>;
  clock: () => Date;
  maxEventsPerRequest: number;
  limit: RateLimitFactory;
}>;

const ownerOf = (who: Principal, requested: string | undefined): string => {
  if (who.role === 'user') {
    if (requested !== undefined && requested !== who.subject) {
      throw new HttpError(403, 'forbidden', 'a user may only start sessions for itself');
    }
    return who.subject;
  }
  if (who.role !== 'service')
    throw new HttpError(403, 'forbidden', 'only users and services start sessions');
  if (requested === undefined) {
    throw new HttpError(400, 'validation_error', 'the request is not valid', {
      fieldErrors: { user_id: ['required for services'] },
    });
  }
  return requested;
};

export const createSessionRoutes = (deps: SessionRoutesDeps): Router => {
  const router = Router();
  const eventsBody = appendEventsBody(deps.maxEventsPerRequest);

  router.post('/conversation/start/', deps.limit('session_start'), async (req, res) => {
    const who = principalOf(res);
    const body = validate(startSessionBody, req.body);
    const flow = deps.flows.get(body.flow_id ?? 'default');
    if (flow === undefined)
      throw new HttpError(400, 'unknown_flow', 'no flow with that id', {
        fieldErrors: { flow_id: ['unknown flow'] },
      });
    const clientId = body.client_context.client_id;
    const result = await deps.startSession({
      data: {
        tenantId: who.tenantId,
        userId: ownerOf(who, body.user_id),
        flow,
        language: body.language,
        channel: body.channel,
        userType: body.user_type,
        clientId:
          typeof clientId === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(clientId)
            ? clientId
            : null,
      },
      resumeExisting: body.resume_existing,
      now: deps.clock().toISOString(),
      metadata: metadataFor(who, res),
    });
    const session: SessionState = result.session;
    if (result.outcome === 'active_session_exists') {
      throw new HttpError(409, 'active_session_exists', 'the user already has an active session', {
        extra: { existing_session_id: session.sessionId, session_state: session.status },
      });
    }
    res.status(result.outcome === 'started' ? 201 : 200).json({
      conversation_id: session.sessionId,
      resumed: result.outcome === 'resumed',
      current_state: session.status,
      session: sessionView(session, result.version),
    });
  });

  router.post('/sessions/:id/events/', deps.limit('session_events'), async (req, res) => {
    const who = principalOf(res);
    const body = validate(eventsBody, req.body);
    const { sessionId, state, loaded } = await readableSession(deps, req, who);
    if (!canWriteSession(who, state))
      throw new HttpError(403, 'forbidden', 'this role may not change the session');
    const commandMeta = { now: deps.clock().toISOString(), correlationId: correlationIdOf(res) };
    const result = await deps.handle(
      onboardingStream(sessionId),
      await Promise.all(
        body.events.map(async (activity) =>
          toCommand(activity, commandMeta, await sealAnswer(deps.cipher, state, activity)),
        ),
      ),
      {
        ...(body.expected_version === undefined ? {} : { expectedVersion: body.expected_version }),
        metadata: metadataFor(who, res),
        loaded,
      },
    );
    res
      .status(201)
      .json({ session_id: sessionId, version: result.version, appended: result.events.length });
  });

  router.get('/sessions/:id/', deps.limit('session_read'), async (req, res) => {
    const { state, version } = await readableSession(deps, req, principalOf(res));
    res.json(sessionView(state, version));
  });

  return router;
};
