import { DomainError } from '../../events/onboarding/errors';
import type { SessionState } from '../../events/onboarding/state';
import { WrongExpectedVersionError } from '../../infra/eventStore/eventStore';
import type { Metrics } from '../../infra/observability/metrics';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import {
  idleActiveSessions,
  recoveryCounts,
  type IdleCursor,
  type IdleSession,
} from '../../projections/sessionSummary/sessionQueries';
import { assessRisk } from '../risk/assess';
import type { ModelRepository } from '../risk/modelRepository';
import type { CommandHandler } from '../sessions/handleCommand';
import { systemContext } from '../shared/commandContext';

export type DetectorDeps = Readonly<{
  sql: SqlExecutor;
  handle: CommandHandler;
  metrics: Metrics;
  clock: () => Date;
  thresholdSeconds: number;
  batchSize: number;
  /** The active risk models; absent, detections are labelled by the rule table. */
  models?: ModelRepository;
}>;

/** The session's risk level at the moment it is declared abandoned (for the metric's label). */
const riskAtDetection = async (deps: DetectorDeps, state: SessionState, now: number) =>
  assessRisk(state, now, deps.models ? await deps.models(state.tenantId) : null).risk_level;

/** Share of resumed sessions that progressed afterwards: session_recovery_success_rate. */
export const updateRecoveryRate = async (deps: DetectorDeps) => {
  const { resumed, progressed } = await recoveryCounts(deps.sql);
  if (resumed > 0) deps.metrics.recoverySuccessRate.set(progressed / resumed);
};

/**
 * One pass of the abandonment detector: active sessions idle longer than the threshold get a
 * `SessionAbandoned` (reason `inactivity`, idle seconds) dated in event time — the session ended
 * at its last activity plus the threshold, however late the pass — with `detectedAt` now. The append expects the stream version
 * the read model saw, so a user action that raced the detector (or one the projector has not
 * caught up with yet) wins: that session is skipped and looked at again on a later pass.
 *
 * The pass pages through every idle session, `batchSize` at a time, with a keyset cursor: a full
 * page it cannot abandon (sessions whose projection is stuck behind a dead letter, say) no longer
 * hides the sessions behind it. `stillLeader` is asked before each page: a detector that lost its
 * lease stops at once (its appends are fenced anyway).
 */
export const detectAbandoned = async (
  deps: DetectorDeps,
  stillLeader: () => boolean = () => true,
) => {
  const now = deps.clock();
  const before = new Date(now.getTime() - deps.thresholdSeconds * 1000);
  let abandoned = 0;
  let raced = 0;
  let candidates = 0;
  let after: IdleCursor | undefined;
  while (stillLeader()) {
    const idle = await idleActiveSessions(deps.sql, before, deps.batchSize, { after });
    candidates += idle.length;
    for (const s of idle) {
      if (await abandonOne(deps, s, now)) abandoned += 1;
      else raced += 1;
    }
    after = idle.at(-1)?.cursor;
    if (idle.length < deps.batchSize) break;
  }
  return { candidates, abandoned, raced };
};

/** Appends one abandonment; false when the session moved on (or ended) meanwhile. */
const abandonOne = async (deps: DetectorDeps, s: IdleSession, now: Date): Promise<boolean> => {
  const idleSeconds = Math.floor((now.getTime() - s.lastActivityAt.getTime()) / 1000);
  const ctx = systemContext('abandonment-detector', s.tenantId, `abandonment-${s.sessionId}`, now);
  try {
    await deps.handle(
      s.sessionId,
      [
        {
          type: 'AbandonSession',
          data: {
            reason: 'inactivity',
            idleSeconds,
            // Event time: the session ended at its last activity plus the threshold.
            endedAt: new Date(
              s.lastActivityAt.getTime() + deps.thresholdSeconds * 1000,
            ).toISOString(),
          },
        },
      ],
      ctx,
      { expectedVersion: s.lastPosition },
    );
  } catch (error) {
    if (error instanceof WrongExpectedVersionError || error instanceof DomainError) return false;
    throw error;
  }
  deps.metrics.abandonmentDetected.inc({
    risk_level: await riskAtDetection(deps, s.state, now.getTime()),
  });
  return true;
};
