import { fold, type SessionState } from '../../events/onboarding/state';
import { onboardingStream } from '../../events/streamNames';
import type { Principal } from '../../infra/auth/jwt';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { audit } from '../../infra/postgres/auditLog';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { AppError } from '../shared/appError';
import { actorOf } from '../shared/commandContext';
import { requireReadable } from '../sessions/findSession';
import { asOnboardingEvents } from '../sessions/loadSession';
import { replaySession } from './sessionReplay';

export type ReplayDeps = Readonly<{ eventStore: EventStore; sql: SqlExecutor }>;

export type ReplayRequest = Readonly<{
  asOf: string | undefined;
  fromPosition: number;
  limit: number;
  correlationId: string;
}>;

/**
 * A session's timeline from its own stream, as it stood at `asOf`, for its owner or its tenant's
 * admins (services do not watch users). Every view is written to the audit trail.
 */
export const viewReplay = async (
  deps: ReplayDeps,
  who: Principal,
  sessionId: string,
  request: ReplayRequest,
) => {
  const { events } = await deps.eventStore.readStream(onboardingStream(sessionId));
  const whole: SessionState = requireReadable(who, fold(asOnboardingEvents(events)));
  if (who.role === 'service')
    throw new AppError('forbidden', 'forbidden', 'replay is for the owner and admins');
  const asOf = request.asOf === undefined ? null : new Date(request.asOf);
  const replay = replaySession(events, asOf, {
    fromPosition: request.fromPosition,
    limit: request.limit,
  });
  await audit(deps.sql, {
    tenantId: whole.tenantId,
    actor: actorOf(who),
    action: 'session.replay_view',
    target: sessionId,
    details: { as_of: request.asOf ?? null, events: replay.timeline.length },
    correlationId: request.correlationId,
  });
  return replay;
};
