import { subjectOf } from '../../events/sealed';
import type { Principal } from '../../infra/auth/jwt';
import type { Metrics } from '../../infra/observability/metrics';
import type { FieldCipher } from '../../infra/privacy/fieldCipher';
import { AppError } from '../shared/appError';
import type { CommandContext } from '../shared/commandContext';
import type { CommandHandler } from '../sessions/handleCommand';
import { canonicalJson } from './canonicalJson';
import { findRestoredActiveSession } from './restoredSession';
import type { Restorer } from './restoreSession';
import type { Snapshotter } from './snapshotter';

export type RecoverySettings = Readonly<{
  snapshotTtlSeconds: number;
  minCheckpointIntervalMs: number;
  maxCheckpointBytes: number;
}>;

export type SaveCheckpointDeps = Readonly<{
  restore: Restorer;
  handle: CommandHandler;
  cipher: FieldCipher;
  snapshotter: Snapshotter;
  settings: RecoverySettings;
  metrics: Metrics;
}>;

export type CheckpointRequest = Readonly<{
  label: string;
  data: Readonly<Record<string, unknown>>;
  dataVersion: number;
  force: boolean;
}>;

/**
 * Records a client checkpoint: the payload's keyed digest and its sealed data go into a
 * CheckpointSaved event (unless unchanged or inside the minimum interval, see decide), then a
 * derived snapshot of the session is written to every tier.
 */
export const createSaveCheckpoint =
  (deps: SaveCheckpointDeps) =>
  async (who: Principal, sessionId: string, request: CheckpointRequest, ctx: CommandContext) => {
    const { settings } = deps;
    const found = await findRestoredActiveSession(deps.restore, who, sessionId);
    const payload = canonicalJson({ state: request.label, data: request.data });
    const sizeBytes = Buffer.byteLength(payload);
    if (sizeBytes > settings.maxCheckpointBytes) {
      throw new AppError(
        'too_large',
        'checkpoint_too_large',
        'the checkpoint payload is too large',
        {
          extra: { max_bytes: settings.maxCheckpointBytes },
        },
      );
    }
    const subject = subjectOf(found.state.tenantId, found.state.userId);
    const [hash, sealed] = await Promise.all([
      deps.cipher.digest(subject, payload),
      deps.cipher.seal(subject, canonicalJson(request.data)),
    ]);
    const intent = {
      type: 'SaveCheckpoint' as const,
      data: {
        checkpointHash: hash,
        clientState: request.label,
        dataVersion: request.dataVersion,
        data: sealed,
        sizeBytes,
        minIntervalMs: settings.minCheckpointIntervalMs,
        force: request.force,
      },
    };
    const result = await deps.handle(sessionId, [intent], ctx, { loaded: found });
    const latest = result.state?.checkpoints.at(-1);
    if (result.state === null || latest === undefined) throw new Error('checkpoint not recorded');
    if (result.events.length === 0) {
      return { status: latest.hash === hash ? 'unchanged' : 'skipped', latest } as const;
    }
    deps.metrics.checkpointsCreated.inc();
    const storage = await deps.snapshotter.take(result.state, result.version);
    return { status: 'created', latest, storage } as const;
  };

export type SaveCheckpoint = ReturnType<typeof createSaveCheckpoint>;
