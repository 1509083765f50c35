import type { Event } from '../envelope';

/**
 * A per-user index stream: which session the user claimed last. Starting a session appends a claim
 * with the stream's expected version, so two concurrent starts for one user cannot both win; the
 * claimed session's own stream then tells whether it is still active. Not relayed to Kafka.
 */
export const userSessionsCategory = 'usersessions';

export const userSessionsStream = (tenantId: string, userId: string): string =>
  `${userSessionsCategory}-${encodeURIComponent(tenantId)}/${encodeURIComponent(userId)}`;

export type SessionClaimed = Event<'SessionClaimed', { sessionId: string; at: string }>;
