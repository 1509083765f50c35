import { Router } from 'express';
import { callerOf, principalOf } from '../api/http/context';
import { validate } from '../shared/validate';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { sessionIdParam } from '../sessions/schemas';
import { sessionView } from '../sessions/sessionView';
import { nextAction, progressPercent } from './nextAction';
import type { Restorer } from './restoreSession';
import { listCheckpoints, type ResumeSession } from './resumeSession';
import type { RecoverySettings, SaveCheckpoint } from './saveCheckpoint';
import { checkpointBody, checkpointListQuery, resumeBody } from './schemas';

export type RecoveryRoutesDeps = Readonly<{
  restore: Restorer;
  saveCheckpoint: SaveCheckpoint;
  resumeSession: ResumeSession;
  settings: RecoverySettings;
  clock: () => Date;
  limit: RateLimitFactory;
}>;

/** Checkpoints, resume and checkpoint history (services/recovery/README.md). */
export const createRecoveryRoutes = (deps: RecoveryRoutesDeps): Router => {
  const router = Router();

  router.post('/sessions/:id/checkpoint/', deps.limit('session_recovery'), async (req, res) => {
    const { who, ctx } = callerOf(res, deps.clock());
    const body = validate(checkpointBody, req.body);
    const sessionId = validate(sessionIdParam, req.params.id, 'session id');
    const { state: label, data, version: dataVersion } = body.checkpoint_data;
    const result = await deps.saveCheckpoint(
      who,
      sessionId,
      { label, data, dataVersion, force: body.force },
      ctx,
    );
    const base = {
      session_id: sessionId,
      checkpoint_version: result.latest.version,
      checkpoint_hash: result.latest.hash,
      created_at: result.latest.at,
    };
    if (result.status !== 'created') {
      const reason = result.status === 'unchanged' ? 'hash_unchanged' : 'interval_not_elapsed';
      res.status(200).json({ status: result.status, reason, ...base });
      return;
    }
    res.status(201).json({
      status: 'created',
      ...base,
      size_bytes: result.latest.sizeBytes,
      storage: { event_store: true, ...result.storage },
      ttl_seconds: deps.settings.snapshotTtlSeconds,
    });
  });

  router.post('/sessions/:id/resume/', deps.limit('session_recovery'), async (req, res) => {
    const { who, ctx } = callerOf(res, deps.clock());
    const body = validate(resumeBody, req.body ?? {});
    const sessionId = validate(sessionIdParam, req.params.id, 'session id');
    const r = await deps.resumeSession(who, sessionId, body.checkpoint_version, ctx);
    res.json({
      status: 'resumed',
      session_id: sessionId,
      checkpoint_version: r.ref.version,
      restored_state: r.ref.clientState,
      restored_data: r.restored.data,
      data_version: r.ref.dataVersion,
      data_erased: r.restored.erased,
      checkpoint_age_seconds: Math.max(
        0,
        Math.round((ctx.now.getTime() - Date.parse(r.ref.at)) / 1000),
      ),
      next_action: nextAction(r.before),
      progress_percent: progressPercent(r.before),
      restored_from: r.source,
      session: r.resumed.state === null ? null : sessionView(r.resumed.state, r.resumed.version),
    });
  });

  router.get('/sessions/:id/checkpoints/', deps.limit('session_recovery'), async (req, res) => {
    const query = validate(checkpointListQuery, req.query, 'query');
    const sessionId = validate(sessionIdParam, req.params.id, 'session id');
    const { state, refs } = await listCheckpoints(
      deps.restore,
      principalOf(res),
      sessionId,
      query.limit,
    );
    res.json({
      session_id: sessionId,
      total_checkpoints: state.checkpointVersion,
      retained_checkpoints: state.checkpoints.length,
      checkpoints: refs.map((c) => ({
        version: c.version,
        state: c.clientState,
        created_at: c.at,
        checkpoint_hash: c.hash,
        data_version: c.dataVersion,
        size_bytes: c.sizeBytes,
        // Documented, but checkpoint data is sealed with the subject's key: nothing to summarise.
        data_summary: null,
      })),
    });
  });

  return router;
};
