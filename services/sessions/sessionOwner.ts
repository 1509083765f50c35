import type { SessionLoader } from './handleCommand';

const cacheLimit = 10_000;

/**
 * The user a session belongs to, for the rate limiter (a service is limited per end user). A
 * session's owner never changes, so an answer is remembered; an unknown session is not (it may
 * be started a moment later). The cache is cleared when full: a bounded map, not an LRU.
 */
export const createSessionOwner = (load: SessionLoader) => {
  const owners = new Map<string, string>();
  return async (sessionId: string): Promise<string | null> => {
    const known = owners.get(sessionId);
    if (known !== undefined) return known;
    const { state } = await load(sessionId);
    if (state === null) return null;
    if (owners.size >= cacheLimit) owners.clear();
    owners.set(sessionId, state.userId);
    return state.userId;
  };
};
