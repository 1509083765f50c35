import type { Request } from 'express';
import type { Principal } from '../../infra/auth/jwt';
import type { Restorer } from './restoreSession';
import { sessionIdParam } from '../sessions/schemas';
import { requireReadable, requireWritableActive } from '../sessions/sessionLookup';
import { validate } from '../api/http/validate';

/** A session restored from its snapshot + tail, if the caller may read it (else 404). */
export const restoredSession = async (restore: Restorer, req: Request, who: Principal) => {
  const sessionId = validate(sessionIdParam, req.params.id, 'session id');
  const restored = await restore(sessionId);
  return { ...restored, sessionId, state: requireReadable(who, restored.state) };
};

/** As restoredSession, for callers that change it: owner or the tenant's service, still active. */
export const restoredActiveSession = async (restore: Restorer, req: Request, who: Principal) => {
  const found = await restoredSession(restore, req, who);
  requireWritableActive(who, found.state);
  return found;
};
