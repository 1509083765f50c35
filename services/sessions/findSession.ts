import type { SessionState } from '../../events/onboarding/state';
import type { Principal } from '../../infra/auth/jwt';
import { AppError } from '../shared/appError';
import { canReadSession, canWriteSession } from '../shared/sessionAccess';
import type { SessionLoader } from './handleCommand';
import type { LoadedSession } from './loadSession';

/** The caller may read this session, or it is answered as not found (other tenants too). */
export const requireReadable = <S extends SessionState>(who: Principal, state: S | null): S => {
  if (state === null || !canReadSession(who, state)) {
    throw new AppError('not_found', 'session_not_found', 'no such session');
  }
  return state;
};

/** The session is still active: `session_ended` (with its status) once it has ended. */
export const requireActive = (state: SessionState): void => {
  if (state.status !== 'active') {
    throw new AppError('conflict', 'session_ended', `the session is ${state.status}`, {
      extra: { session_state: state.status },
    });
  }
};

/** The caller may write onboarding activity on this session. */
export const requireWritable = (who: Principal, state: SessionState): void => {
  if (!canWriteSession(who, state))
    throw new AppError('forbidden', 'forbidden', 'this role may not change the session');
};

/** The caller may change this readable session, and it is still active. */
export const requireWritableActive = (who: Principal, state: SessionState): void => {
  requireWritable(who, state);
  requireActive(state);
};

export type FoundSession = Readonly<{
  sessionId: string;
  state: SessionState;
  version: number;
  loaded: LoadedSession;
}>;

/** Loads a session the caller may read, or answers not found (also for other tenants' sessions). */
export const findReadableSession = async (
  load: SessionLoader,
  who: Principal,
  sessionId: string,
): Promise<FoundSession> => {
  const loaded = await load(sessionId);
  const state = requireReadable(who, loaded.state);
  return { sessionId, state, version: loaded.version, loaded };
};

/** A session the caller may change and that is still active (`session_ended` once it ended). */
export const findWritableActiveSession = async (
  load: SessionLoader,
  who: Principal,
  sessionId: string,
): Promise<FoundSession> => {
  const found = await findReadableSession(load, who, sessionId);
  requireWritableActive(who, found.state);
  return found;
};
