import type { Request } from 'express';
import { onboardingStream } from '../../events/streamNames';
import type { Principal } from '../../infra/auth/jwt';
import type { EventStore } from '../../infra/eventStore/eventStore';
import type { Logger } from '../../infra/observability/logger';
import type { CommandHandler } from './handleCommand';
import { loadSession } from './loadSession';
import { canWriteSession } from '../shared/sessionAccess';
import { sessionIdParam } from './schemas';

export type RateLimitRecorderDeps = Readonly<{
  eventStore: EventStore;
  handle: CommandHandler;
  clock: () => Date;
  logger: Logger;
  /** At most one RateLimitHit per session and resource in this window (per process). */
  windowMs: number;
}>;

/**
 * Records a refused request on a session route as `RateLimitHit` on that session, so analytics
 * and the risk model can see rate limiting. Bounded so refusals cannot become a write storm: once
 * per session and resource per window, only for a caller who may write the session, and in the
 * background (the 429 is never delayed, and a failure to record is only logged).
 */
export const createRateLimitRecorder = (deps: RateLimitRecorderDeps) => {
  const recent = new Map<string, number>();
  const record = async (sessionId: string, who: Principal, resource: string) => {
    const stream = onboardingStream(sessionId);
    const loaded = await loadSession(deps.eventStore, stream);
    if (loaded.state === null || loaded.state.status !== 'active') return;
    if (!canWriteSession(who, loaded.state)) return;
    const correlationId = `rate-limit-${sessionId}`;
    await deps.handle(
      stream,
      [
        {
          type: 'RecordRateLimitHit',
          data: { resource },
          metadata: { now: deps.clock().toISOString(), correlationId },
        },
      ],
      {
        metadata: { correlationId, tenantId: who.tenantId, actor: `${who.role}:${who.subject}` },
        loaded,
      },
    );
  };
  return (req: Request, who: Principal, resource: string): void => {
    const parsed = sessionIdParam.safeParse(req.params.id);
    if (!parsed.success) return;
    const key = `${parsed.data}:${resource}`;
    const now = deps.clock().getTime();
    if ((recent.get(key) ?? 0) > now) return;
    if (recent.size > 10_000) recent.clear();
    recent.set(key, now + deps.windowMs);
    record(parsed.data, who, resource).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'could not record a rate-limit hit'),
    );
  };
};
