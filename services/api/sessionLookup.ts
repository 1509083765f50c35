import type { Request, Response } from 'express';
import type { EventMetadata } from '../../events/envelope';
import { onboardingStream } from '../../events/streamNames';
import type { Principal } from '../../infra/auth/jwt';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { loadSession } from '../commands/loadSession';
import { canReadSession, canWriteSession } from '../commands/sessionAccess';
import { correlationIdOf } from './context';
import { HttpError } from './httpError';
import { sessionIdParam } from './requestSchemas';
import { validate } from './validate';

export const metadataFor = (who: Principal, res: Response): EventMetadata => ({
  correlationId: correlationIdOf(res),
  tenantId: who.tenantId,
  actor: `${who.role}:${who.subject}`,
});

/** Loads a session the caller may read, or answers 404 (also for other tenants' sessions). */
export const readableSession = async (
  deps: Readonly<{ eventStore: EventStore }>,
  req: Request,
  who: Principal,
) => {
  const sessionId = validate(sessionIdParam, req.params.id, 'session id');
  const loaded = await loadSession(deps.eventStore, onboardingStream(sessionId));
  if (loaded.state === null || !canReadSession(who, loaded.state)) {
    throw new HttpError(404, 'session_not_found', 'no such session');
  }
  return { sessionId, state: loaded.state, version: loaded.version, loaded };
};

/** A session the caller may change and that is still active (409 once it has ended). */
export const writableActiveSession = async (
  deps: Readonly<{ eventStore: EventStore }>,
  req: Request,
  who: Principal,
) => {
  const found = await readableSession(deps, req, who);
  if (!canWriteSession(who, found.state))
    throw new HttpError(403, 'forbidden', 'this role may not change the session');
  if (found.state.status !== 'active')
    throw new HttpError(409, 'session_ended', 'the session has ended');
  return found;
};
