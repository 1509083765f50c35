import type { Principal } from '../../infra/auth/jwt';
import { requireReadable, requireWritableActive } from '../sessions/findSession';
import type { Restorer } from './restoreSession';

/** A session restored from its snapshot + tail, if the caller may read it (else not found). */
export const findRestoredSession = async (restore: Restorer, who: Principal, sessionId: string) => {
  const restored = await restore(sessionId);
  return { ...restored, sessionId, state: requireReadable(who, restored.state) };
};

/** As findRestoredSession, for callers that change it: owner or the tenant's service, still active. */
export const findRestoredActiveSession = async (
  restore: Restorer,
  who: Principal,
  sessionId: string,
) => {
  const found = await findRestoredSession(restore, who, sessionId);
  requireWritableActive(who, found.state);
  return found;
};

export type RestoredSession = Awaited<ReturnType<typeof findRestoredSession>>;
