import type { Request } from 'express';
import type { Principal } from '../../infra/auth/jwt';
import { canReadSession, canWriteSession } from '../commands/sessionAccess';
import type { Restorer } from '../recovery/restoreSession';
import { HttpError } from './httpError';
import { sessionIdParam } from './requestSchemas';
import { validate } from './validate';

/** A session restored from its snapshot + tail, if the caller may read it (else 404). */
export const restoredSession = async (restore: Restorer, req: Request, who: Principal) => {
  const sessionId = validate(sessionIdParam, req.params.id, 'session id');
  const restored = await restore(sessionId);
  if (restored.state === null || !canReadSession(who, restored.state)) {
    throw new HttpError(404, 'session_not_found', 'no such session');
  }
  return { ...restored, sessionId, state: restored.state };
};

/** As restoredSession, for callers that change it: owner or the tenant's service, still active. */
export const restoredActiveSession = async (restore: Restorer, req: Request, who: Principal) => {
  const found = await restoredSession(restore, req, who);
  if (!canWriteSession(who, found.state))
    throw new HttpError(403, 'forbidden', 'this role may not change the session');
  if (found.state.status !== 'active') {
    throw new HttpError(409, 'session_ended', `the session is ${found.state.status}`, {
      extra: { session_state: found.state.status },
    });
  }
  return found;
};
