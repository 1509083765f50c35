import { Router, type Response } from 'express';
import type { SessionState } from '../../events/onboarding/state';
import { subjectOf } from '../../events/sealed';
import { onboardingStream } from '../../events/streamNames';
import type { Metrics } from '../../infra/observability/metrics';
import { canonicalJson } from './canonicalJson';
import { nextAction, progressPercent } from './nextAction';
import type { Restorer } from './restoreSession';
import type { Snapshotter } from './snapshotter';
import { correlationIdOf, principalOf } from '../api/http/context';
import { HttpError } from '../api/http/httpError';
import { restoredActiveSession, restoredSession } from './restoredSession';
import { checkpointBody, checkpointListQuery, resumeBody } from './schemas';
import { metadataFor } from '../sessions/sessionLookup';
import { sessionView } from '../sessions/sessionView';
import { validate } from '../api/http/validate';
import type { SessionRoutesDeps } from '../sessions/routes';
import { openCheckpointData } from './checkpointData';

export type RecoverySettings = Readonly<{
  snapshotTtlSeconds: number;
  minCheckpointIntervalMs: number;
  maxCheckpointBytes: number;
}>;

export type RecoveryDeps = SessionRoutesDeps &
  Readonly<{
    restore: Restorer;
    snapshotter: Snapshotter;
    settings: RecoverySettings;
    metrics: Metrics;
  }>;

const commandMeta = (deps: RecoveryDeps, res: Response) => ({
  now: deps.clock().toISOString(),
  correlationId: correlationIdOf(res),
});

const loadedOf = (found: { state: SessionState; version: number }) => ({
  state: found.state,
  version: found.version,
  events: [],
});

/** Checkpoints, resume and checkpoint history (README, "Checkpoints and resume"). */
export const createRecoveryRoutes = (deps: RecoveryDeps): Router => {
  const router = Router();
  const { settings } = deps;

  router.post('/sessions/:id/checkpoint/', deps.limit('session_recovery'), async (req, res) => {
    const who = principalOf(res);
    const body = validate(checkpointBody, req.body);
    const found = await restoredActiveSession(deps.restore, req, who);
    const { state: label, data, version: dataVersion } = body.checkpoint_data;
    const payload = canonicalJson({ state: label, data });
    const sizeBytes = Buffer.byteLength(payload);
    if (sizeBytes > settings.maxCheckpointBytes) {
      throw new HttpError(413, 'checkpoint_too_large', 'the checkpoint payload is too large', {
        extra: { max_bytes: settings.maxCheckpointBytes },
      });
    }
    const subject = subjectOf(found.state.tenantId, found.state.userId);
    const [hash, sealed] = await Promise.all([
      deps.cipher.digest(subject, payload),
      deps.cipher.seal(subject, canonicalJson(data)),
    ]);
    const command = {
      type: 'SaveCheckpoint' as const,
      data: {
        checkpointHash: hash,
        clientState: label,
        dataVersion,
        data: sealed,
        sizeBytes,
        minIntervalMs: settings.minCheckpointIntervalMs,
        force: body.force,
      },
      metadata: commandMeta(deps, res),
    };
    const result = await deps.handle(onboardingStream(found.sessionId), [command], {
      metadata: metadataFor(who, res),
      loaded: loadedOf(found),
    });
    const latest = result.state?.checkpoints.at(-1);
    if (result.state === null || latest === undefined) throw new Error('checkpoint not recorded');
    const base = {
      session_id: found.sessionId,
      checkpoint_version: latest.version,
      checkpoint_hash: latest.hash,
      created_at: latest.at,
    };
    if (result.events.length === 0) {
      const unchanged = latest.hash === hash;
      res.status(200).json({
        status: unchanged ? 'unchanged' : 'skipped',
        reason: unchanged ? 'hash_unchanged' : 'interval_not_elapsed',
        ...base,
      });
      return;
    }
    deps.metrics.checkpointsCreated.inc();
    const storage = await deps.snapshotter.take(result.state, result.version);
    res.status(201).json({
      status: 'created',
      ...base,
      size_bytes: latest.sizeBytes,
      storage: { event_store: true, ...storage },
      ttl_seconds: settings.snapshotTtlSeconds,
    });
  });

  router.post('/sessions/:id/resume/', deps.limit('session_recovery'), async (req, res) => {
    const who = principalOf(res);
    const body = validate(resumeBody, req.body ?? {});
    const found = await restoredActiveSession(deps.restore, req, who);
    const { state } = found;
    if (state.checkpointVersion === 0) {
      throw new HttpError(404, 'no_checkpoints_found', 'the session has no checkpoints', {
        extra: { session_id: found.sessionId, suggestion: 'Start a new session instead' },
      });
    }
    const wanted = body.checkpoint_version ?? state.checkpointVersion;
    const ref = state.checkpoints.find((c) => c.version === wanted);
    if (ref === undefined) {
      throw new HttpError(404, 'checkpoint_not_found', 'no such checkpoint version', {
        extra: { available_versions: state.checkpoints.map((c) => c.version) },
      });
    }
    const restored = await openCheckpointData(deps, found.sessionId, ref);
    const resumed = await deps.handle(
      onboardingStream(found.sessionId),
      [
        {
          type: 'ResumeSession',
          data: { fromCheckpointVersion: ref.version },
          metadata: commandMeta(deps, res),
        },
      ],
      { metadata: metadataFor(who, res), loaded: loadedOf(found) },
    );
    deps.metrics.sessionResumes.inc({ source: found.source });
    const now = deps.clock().getTime();
    res.json({
      status: 'resumed',
      session_id: found.sessionId,
      checkpoint_version: ref.version,
      restored_state: ref.clientState,
      restored_data: restored.data,
      data_version: ref.dataVersion,
      data_erased: restored.erased,
      checkpoint_age_seconds: Math.max(0, Math.round((now - Date.parse(ref.at)) / 1000)),
      next_action: nextAction(state),
      progress_percent: progressPercent(state),
      restored_from: found.source,
      session: resumed.state === null ? null : sessionView(resumed.state, resumed.version),
    });
  });

  router.get('/sessions/:id/checkpoints/', deps.limit('session_recovery'), async (req, res) => {
    const query = validate(checkpointListQuery, req.query, 'query');
    const found = await restoredSession(deps.restore, req, principalOf(res));
    const refs = [...found.state.checkpoints].reverse().slice(0, query.limit);
    res.json({
      session_id: found.sessionId,
      total_checkpoints: found.state.checkpointVersion,
      retained_checkpoints: found.state.checkpoints.length,
      checkpoints: refs.map((c) => ({
        version: c.version,
        state: c.clientState,
        created_at: c.at,
        checkpoint_hash: c.hash,
        data_version: c.dataVersion,
        size_bytes: c.sizeBytes,
      })),
    });
  });

  return router;
};
