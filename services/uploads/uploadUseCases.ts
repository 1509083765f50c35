import type { IncomingMessage } from 'node:http';
import { subjectOf } from '../../events/sealed';
import type { Principal } from '../../infra/auth/jwt';
import type { FieldCipher } from '../../infra/privacy/fieldCipher';
import { AppError } from '../shared/appError';
import type { CommandContext } from '../shared/commandContext';
import { findWritableActiveSession } from '../sessions/findSession';
import type { CommandHandler, SessionLoader } from '../sessions/handleCommand';
import { validate } from '../shared/validate';
import { receiveUploads, type IntakePlan, type UploadDeps } from './intake';
import { documentFields, observationFields } from './schemas';

export type UploadUseCaseDeps = Readonly<{
  load: SessionLoader;
  handle: CommandHandler;
  clock: () => Date;
  uploads: UploadDeps;
  cipher: FieldCipher;
}>;

type Shape = Pick<IntakePlan, 'slots' | 'reserve' | 'maxFields' | 'validateFields'>;

/** The plan shared by both uploads: session, caller and how events are recorded. */
const planFor = async (
  deps: UploadUseCaseDeps,
  { who, sessionId, ctx }: Readonly<{ who: Principal; sessionId: string; ctx: CommandContext }>,
  shape: Shape,
): Promise<IntakePlan & { subject: string }> => {
  const { state } = await findWritableActiveSession(deps.load, who, sessionId);
  const record: IntakePlan['record'] = (intents) => deps.handle(sessionId, intents, ctx);
  const subject = subjectOf(state.tenantId, state.userId);
  return {
    ...shape,
    sessionId,
    tenantId: state.tenantId,
    userKey: `${who.tenantId}:${who.subject}`,
    record,
    subject,
  };
};

/** The session's quota as the upload answers show it: used and limit of each. */
export const quotaView = async (uploads: UploadDeps, tenantId: string, sessionId: string) => {
  const u = await uploads.quota.usage(tenantId, sessionId);
  const l = uploads.limits;
  return {
    photos: { used: u.photos, limit: l.maxPhotosPerSession },
    documents: { used: u.documents, limit: l.maxDocumentsPerSession },
    bytes: { used: u.bytes, limit: l.maxBytesPerSession },
  };
};

/**
 * A site-audit observation: a photo and/or audio with the form's fields. The fields (text,
 * coordinates) are personal, so they are stored sealed beside the files, never in the clear.
 */
export const uploadObservation = async (
  deps: UploadUseCaseDeps,
  who: Principal,
  sessionId: string,
  request: Readonly<{ stream: IncomingMessage; ctx: CommandContext }>,
) => {
  let observed: ReturnType<typeof observationFields.parse> | undefined;
  const plan = await planFor(
    deps,
    { who, sessionId, ctx: request.ctx },
    {
      slots: { photo: 'photo', audio: 'audio' },
      // An observation may hold a photo: one photo slot is held, and given back if none came.
      reserve: { photos: 1, documents: 0 },
      maxFields: 5,
      validateFields: (fields, files) => {
        observed = validate(observationFields, fields, 'observation');
        if (files.length === 0 && !observed.text_input)
          throw new AppError('invalid', 'validation_error', 'send a photo, audio or text_input', {
            fieldErrors: { _: ['at least one of photo, audio, text_input'] },
          });
      },
    },
  );
  const { stored } = await receiveUploads(deps.uploads, plan, request.stream);
  const observationId = deps.uploads.newId();
  await deps.uploads.storage.publish(`${sessionId}/${observationId}.json`, {
    bytes: Buffer.from(
      JSON.stringify({
        uploads: stored.map((s) => s.uploadId),
        at: deps.clock(),
        sealed: await deps.cipher.seal(plan.subject, JSON.stringify(observed)),
      }),
    ),
  });
  return { observationId, stored };
};

/** A generic document upload: one `file` part and an optional label. */
export const uploadDocument = async (
  deps: UploadUseCaseDeps,
  who: Principal,
  sessionId: string,
  request: Readonly<{ stream: IncomingMessage; ctx: CommandContext }>,
) => {
  const plan = await planFor(
    deps,
    { who, sessionId, ctx: request.ctx },
    {
      slots: { file: 'document' },
      reserve: { photos: 0, documents: 1 },
      maxFields: 1,
      validateFields: (fields, files) => {
        validate(documentFields, fields, 'upload');
        if (files.length === 0)
          throw new AppError(
            'invalid',
            'validation_error',
            'send the document as the "file" part',
            {
              fieldErrors: { file: ['required'] },
            },
          );
      },
    },
  );
  return (await receiveUploads(deps.uploads, plan, request.stream)).stored;
};
