import { Router } from 'express';
import { callerOf } from '../api/http/context';
import { validate } from '../shared/validate';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { sessionIdParam } from '../sessions/schemas';
import type { StoredUpload } from './intake';
import {
  quotaView,
  uploadDocument,
  uploadObservation,
  type UploadUseCaseDeps,
} from './uploadUseCases';

export type UploadRoutesDeps = UploadUseCaseDeps & Readonly<{ limit: RateLimitFactory }>;

const uploadView = (s: StoredUpload) => ({
  upload_id: s.uploadId,
  field: s.field,
  kind: s.kind,
  content_type: s.contentType,
  size_bytes: s.sizeBytes,
});

/**
 * Uploads: a site-audit observation (photo and/or audio with its form fields) and a generic
 * document upload. Both run the same intake (services/uploads/README.md).
 */
export const createUploadRoutes = (deps: UploadRoutesDeps): Router => {
  const router = Router();

  router.post('/site-audit/:id/observation/', deps.limit('uploads'), async (req, res) => {
    const { who, ctx } = callerOf(res, deps.clock());
    const sessionId = validate(sessionIdParam, req.params.id, 'session id');
    const { observationId, stored } = await uploadObservation(deps, who, sessionId, {
      stream: req,
      ctx,
    });
    res.status(201).json({
      observation_id: observationId,
      session_id: sessionId,
      uploads: stored.map(uploadView),
      quota: await quotaView(deps.uploads, who.tenantId, sessionId),
    });
  });

  router.post('/sessions/:id/uploads/', deps.limit('uploads'), async (req, res) => {
    const { who, ctx } = callerOf(res, deps.clock());
    const sessionId = validate(sessionIdParam, req.params.id, 'session id');
    const [upload] = (await uploadDocument(deps, who, sessionId, { stream: req, ctx })).map(
      uploadView,
    );
    res.status(201).json({
      ...upload,
      session_id: sessionId,
      quota: await quotaView(deps.uploads, who.tenantId, sessionId),
    });
  });

  return router;
};
