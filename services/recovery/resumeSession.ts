import type { Principal } from '../../infra/auth/jwt';
import type { EventStore } from '../../infra/eventStore/eventStore';
import type { Metrics } from '../../infra/observability/metrics';
import type { FieldCipher } from '../../infra/privacy/fieldCipher';
import { AppError } from '../shared/appError';
import type { CommandContext } from '../shared/commandContext';
import type { CommandHandler } from '../sessions/handleCommand';
import { openCheckpointData } from './checkpointData';
import { findRestoredActiveSession, findRestoredSession } from './restoredSession';
import type { Restorer } from './restoreSession';

export type ResumeDeps = Readonly<{
  restore: Restorer;
  handle: CommandHandler;
  eventStore: EventStore;
  cipher: FieldCipher;
  metrics: Metrics;
}>;

/**
 * Resumes a session from one of its checkpoints (the latest unless a version is named): reads the
 * checkpoint's sealed data from its own event, opens it, and records SessionResumed.
 */
export const createResumeSession =
  (deps: ResumeDeps) =>
  async (who: Principal, sessionId: string, version: number | null, ctx: CommandContext) => {
    const found = await findRestoredActiveSession(deps.restore, who, sessionId);
    const { state } = found;
    if (state.checkpointVersion === 0) {
      throw new AppError('not_found', 'no_checkpoints_found', 'the session has no checkpoints', {
        extra: { session_id: sessionId, suggestion: 'Start a new session instead' },
      });
    }
    const wanted = version ?? state.checkpointVersion;
    const ref = state.checkpoints.find((c) => c.version === wanted);
    if (ref === undefined) {
      throw new AppError('not_found', 'checkpoint_not_found', 'no such checkpoint version', {
        extra: { available_versions: state.checkpoints.map((c) => c.version) },
      });
    }
    const restored = await openCheckpointData(deps, sessionId, ref);
    const resumed = await deps.handle(
      sessionId,
      [{ type: 'ResumeSession', data: { fromCheckpointVersion: ref.version } }],
      ctx,
      { loaded: found },
    );
    deps.metrics.sessionResumes.inc({ source: found.source });
    return { before: state, ref, restored, source: found.source, resumed };
  };

export type ResumeSession = ReturnType<typeof createResumeSession>;

/** The newest checkpoints first, at most `limit` (the state keeps the last 50 references). */
export const listCheckpoints = async (
  restore: Restorer,
  who: Principal,
  sessionId: string,
  limit: number,
) => {
  const { state } = await findRestoredSession(restore, who, sessionId);
  return { state, refs: [...state.checkpoints].reverse().slice(0, limit) };
};
