import type { Request, Response } from 'express';
import type { EventMetadata } from '../../events/envelope';
import type { SessionState } from '../../events/onboarding/state';
import { onboardingStream } from '../../events/streamNames';
import type { Principal } from '../../infra/auth/jwt';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { loadSession } from './loadSession';
import { canReadSession, canWriteSession } from '../shared/sessionAccess';
import { correlationIdOf } from '../api/http/context';
import { HttpError } from '../api/http/httpError';
import { sessionIdParam } from './schemas';
import { validate } from '../api/http/validate';

export const metadataFor = (who: Principal, res: Response): EventMetadata => ({
  correlationId: correlationIdOf(res),
  tenantId: who.tenantId,
  actor: `${who.role}:${who.subject}`,
});

/** The caller may read this session, or it is answered as not found (other tenants too). */
export const requireReadable = <S extends SessionState>(who: Principal, state: S | null): S => {
  if (state === null || !canReadSession(who, state)) {
    throw new HttpError(404, 'session_not_found', 'no such session');
  }
  return state;
};

/** The session is still active: 409 `session_ended` (with its status) once it has ended. */
export const requireActive = (state: SessionState): void => {
  if (state.status !== 'active') {
    throw new HttpError(409, 'session_ended', `the session is ${state.status}`, {
      extra: { session_state: state.status },
    });
  }
};

/** The caller may change this readable session, and it is still active. */
export const requireWritableActive = (who: Principal, state: SessionState): void => {
  if (!canWriteSession(who, state))
    throw new HttpError(403, 'forbidden', 'this role may not change the session');
  requireActive(state);
};

/** Loads a session the caller may read, or answers 404 (also for other tenants' sessions). */
export const readableSession = async (
  deps: Readonly<{ eventStore: EventStore }>,
  req: Request,
  who: Principal,
) => {
  const sessionId = validate(sessionIdParam, req.params.id, 'session id');
  const loaded = await loadSession(deps.eventStore, onboardingStream(sessionId));
  const state = requireReadable(who, loaded.state);
  return { sessionId, state, version: loaded.version, loaded };
};

/** A session the caller may change and that is still active (409 once it has ended). */
export const writableActiveSession = async (
  deps: Readonly<{ eventStore: EventStore }>,
  req: Request,
  who: Principal,
) => {
  const found = await readableSession(deps, req, who);
  requireWritableActive(who, found.state);
  return found;
};
