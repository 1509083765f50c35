import type { EventStore } from '../../infra/eventStore/eventStore';
import { WrongExpectedVersionError } from '../../infra/eventStore/eventStore';
import type { Metrics } from '../../infra/observability/metrics';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { onboardingStream } from '../../events/streamNames';
import { DomainError } from '../../events/onboarding/errors';
import type { CommandHandler } from '../sessions/handleCommand';
import type { SessionState } from '../../events/onboarding/state';
import { recoveryCounts, upcastState } from '../../projections/sessionSummary/sessionSummaryTable';
import { assessRisk } from '../risk/assess';
import type { ModelRepository } from '../risk/modelRepository';

export type DetectorDeps = Readonly<{
  sql: SqlExecutor;
  /** The live session-summary table: where idle sessions are found. */
  table: string;
  eventStore: EventStore;
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
  const { resumed, progressed } = await recoveryCounts(deps.sql, deps.table);
  if (resumed > 0) deps.metrics.recoverySuccessRate.set(progressed / resumed);
};

/**
 * One pass of the abandonment detector: active sessions idle longer than the threshold get a
 * `SessionAbandoned` (reason `inactivity`, idle seconds). The append expects the stream version
 * the read model saw, so a user action that raced the detector (or one the projector has not
 * caught up with yet) wins: that session is skipped and looked at again on a later pass.
 */
export const detectAbandoned = async (deps: DetectorDeps) => {
  const now = deps.clock();
  const idle = await deps.sql.query<{
    session_id: string;
    last_position: string;
    last_activity_at: Date | string;
    tenant_id: string;
    state: SessionState;
  }>(
    `SELECT session_id, last_position, last_activity_at, tenant_id, state FROM ${deps.table}
      WHERE status = 'active' AND last_activity_at < $1
      ORDER BY last_activity_at LIMIT $2`,
    [new Date(now.getTime() - deps.thresholdSeconds * 1000).toISOString(), deps.batchSize],
  );
  let abandoned = 0;
  let raced = 0;
  for (const s of idle) {
    const idleSeconds = Math.floor((now.getTime() - new Date(s.last_activity_at).getTime()) / 1000);
    try {
      await deps.handle(
        onboardingStream(s.session_id),
        [
          {
            type: 'AbandonSession',
            data: { reason: 'inactivity', idleSeconds },
            metadata: { now: now.toISOString(), correlationId: `abandonment-${s.session_id}` },
          },
        ],
        {
          expectedVersion: Number(s.last_position),
          metadata: {
            correlationId: `abandonment-${s.session_id}`,
            tenantId: s.tenant_id,
            actor: 'system:abandonment-detector',
          },
        },
      );
      abandoned += 1;
      const state = upcastState(s.state, Number(s.last_position));
      const level = await riskAtDetection(deps, state, now.getTime());
      deps.metrics.abandonmentDetected.inc({ risk_level: level });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError || error instanceof DomainError))
        throw error;
      raced += 1;
    }
  }
  return { candidates: idle.length, abandoned, raced };
};
