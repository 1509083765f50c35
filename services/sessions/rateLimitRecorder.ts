import type { Principal } from '../../infra/auth/jwt';
import type { Logger } from '../../infra/observability/logger';
import { callerContext } from '../shared/commandContext';
import { canWriteSession } from '../shared/sessionAccess';
import type { CommandHandler, SessionLoader } from './handleCommand';
import { sessionIdParam } from './schemas';

export type RateLimitRecorderDeps = Readonly<{
  load: SessionLoader;
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
    const loaded = await deps.load(sessionId);
    if (loaded.state === null || loaded.state.status !== 'active') return;
    if (!canWriteSession(who, loaded.state)) return;
    const ctx = callerContext(who, `rate-limit-${sessionId}`, deps.clock());
    await deps.handle(sessionId, [{ type: 'RecordRateLimitHit', data: { resource } }], ctx, {
      loaded,
    });
  };
  /** `sessionId` is the route's path parameter as sent: anything but a session id is ignored. */
  return (sessionId: unknown, who: Principal, resource: string): void => {
    const parsed = sessionIdParam.safeParse(sessionId);
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

export type RateLimitRecorder = ReturnType<typeof createRateLimitRecorder>;
