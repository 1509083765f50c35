import { Router, type Request, type Response } from 'express';
import type { OnboardingCommand } from '../../events/onboarding/commands';
import { onboardingStream } from '../../events/streamNames';
import type { CommandHandler } from '../sessions/handleCommand';
import { correlationIdOf, principalOf } from '../api/http/context';
import { HttpError } from '../api/http/httpError';
import type { RateLimitFactory } from '../api/middleware/rateLimit';
import { metadataFor, writableActiveSession } from '../sessions/sessionLookup';
import { receiveUploads, type IntakePlan, type StoredUpload, type UploadDeps } from './intake';
import { documentFields, observationFields } from './schemas';
import { validate } from '../api/http/validate';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { subjectOf } from '../../events/sealed';
import type { FieldCipher } from '../../infra/privacy/fieldCipher';

export type UploadRoutesDeps = Readonly<{
  eventStore: EventStore;
  handle: CommandHandler;
  clock: () => Date;
  limit: RateLimitFactory;
  uploads: UploadDeps;
  cipher: FieldCipher;
}>;

const uploadView = (s: StoredUpload) => ({
  upload_id: s.uploadId,
  field: s.field,
  kind: s.kind,
  content_type: s.contentType,
  size_bytes: s.sizeBytes,
});

/** The plan shared by both routes: session, caller and how events are recorded. */
const planFor = async (
  deps: UploadRoutesDeps,
  req: Request,
  res: Response,
  shape: Pick<IntakePlan, 'slots' | 'reserve' | 'maxFields' | 'validateFields'>,
): Promise<IntakePlan & { subject: string }> => {
  const who = principalOf(res);
  const { sessionId, state } = await writableActiveSession(deps, req, who);
  const record = (commands: OnboardingCommand[]) =>
    deps.handle(
      onboardingStream(sessionId),
      commands.map((c) => ({
        ...c,
        metadata: { now: deps.clock().toISOString(), correlationId: correlationIdOf(res) },
      })),
      { metadata: metadataFor(who, res) },
    );
  const subject = subjectOf(state.tenantId, state.userId);
  return { ...shape, sessionId, userKey: `${who.tenantId}:${who.subject}`, record, subject };
};

/**
 * Uploads: a site-audit observation (photo and/or audio with the original's form fields) and a
 * generic document upload. Both run the same intake: quota reserved first, streamed into
 * quarantine, typed by magic bytes, images re-encoded without metadata, then published.
 */
export const createUploadRoutes = (deps: UploadRoutesDeps): Router => {
  const router = Router();
  const quotaView = async (sessionId: string) => {
    const u = await deps.uploads.quota.usage(sessionId);
    const l = deps.uploads.limits;
    return {
      photos: { used: u.photos, limit: l.maxPhotosPerSession },
      documents: { used: u.documents, limit: l.maxDocumentsPerSession },
      bytes: { used: u.bytes, limit: l.maxBytesPerSession },
    };
  };

  router.post('/site-audit/:id/observation/', deps.limit('uploads'), async (req, res) => {
    let observed: ReturnType<typeof observationFields.parse> | undefined;
    const plan = await planFor(deps, req, res, {
      slots: { photo: 'photo', audio: 'audio' },
      // An observation may hold a photo: one photo slot is held, and given back if none came.
      reserve: { photos: 1, documents: 0 },
      maxFields: 5,
      validateFields: (fields, files) => {
        observed = validate(observationFields, fields, 'observation');
        if (files.length === 0 && !observed.text_input)
          throw new HttpError(400, 'validation_error', 'send a photo, audio or text_input', {
            fieldErrors: { _: ['at least one of photo, audio, text_input'] },
          });
      },
    });
    const { stored } = await receiveUploads(deps.uploads, plan, req, res);
    const observationId = deps.uploads.newId();
    await deps.uploads.storage.publish(`${plan.sessionId}/${observationId}.json`, {
      // The observation's own fields (text, coordinates) are personal: stored sealed only.
      bytes: Buffer.from(
        JSON.stringify({
          uploads: stored.map((s) => s.uploadId),
          at: deps.clock(),
          sealed: await deps.cipher.seal(plan.subject, JSON.stringify(observed)),
        }),
      ),
    });
    res.status(201).json({
      observation_id: observationId,
      session_id: plan.sessionId,
      uploads: stored.map(uploadView),
      quota: await quotaView(plan.sessionId),
    });
  });

  router.post('/sessions/:id/uploads/', deps.limit('uploads'), async (req, res) => {
    const plan = await planFor(deps, req, res, {
      slots: { file: 'document' },
      reserve: { photos: 0, documents: 1 },
      maxFields: 1,
      validateFields: (fields, files) => {
        validate(documentFields, fields, 'upload');
        if (files.length === 0)
          throw new HttpError(400, 'validation_error', 'send the document as the "file" part', {
            fieldErrors: { file: ['required'] },
          });
      },
    });
    const { stored } = await receiveUploads(deps.uploads, plan, req, res);
    const [upload] = stored.map(uploadView);
    res.status(201).json({
      ...upload,
      session_id: plan.sessionId,
      quota: await quotaView(plan.sessionId),
    });
  });

  return router;
};
