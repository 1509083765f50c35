import { CodedError } from '../../events/codedError';
import type { IncomingMessage } from 'node:http';
import type { SessionIntent } from '../sessions/handleCommand';
import type { UploadKind } from '../../events/onboarding/events';
import type { Metrics } from '../../infra/observability/metrics';
import type { FileStorage } from '../../infra/storage/fileStorage';
import { ImageRejected, type ImageFormat } from '../../infra/uploads/imageSanitizer';
import {
  utilisation,
  type QuotaRequest,
  type QuotaUsage,
  type UploadLimits,
  type UploadQuota,
} from '../../infra/uploads/uploadQuota';
import { extensionOf, judgeType } from './uploadPolicy';
import { AppError } from '../shared/appError';
import { readMultipart, type ReceivedFile } from './multipart';

export type UploadDeps = Readonly<{
  quota: UploadQuota;
  storage: FileStorage;
  limits: UploadLimits;
  maxFileBytes: number;
  maxImagePixels: number;
  metrics: Metrics;
  newId: () => string;
  /** The media type the leading bytes show (magic numbers). */
  sniffType: (head: Buffer) => Promise<string | null>;
  /** Re-encodes an image without metadata; throws ImageRejected. */
  reencodeImage: (input: Buffer, format: ImageFormat, maxPixels: number) => Promise<Buffer>;
}>;

/** One request's shape: which form fields carry which kind of file, and what to reserve. */
export type IntakePlan = Readonly<{
  sessionId: string;
  tenantId: string;
  userKey: string;
  slots: Readonly<Record<string, UploadKind>>;
  reserve: Readonly<{ photos: number; documents: number }>;
  maxFields: number;
  /** Checks the form's text fields (and which files came): throws a 400 AppError. */
  validateFields: (fields: Record<string, string>, files: readonly ReceivedFile[]) => void;
  /** Records events in the session stream (UploadAccepted / UploadRejected). */
  record: (intents: SessionIntent[]) => Promise<unknown>;
}>;

export type StoredUpload = Readonly<{
  uploadId: string;
  field: string;
  kind: UploadKind;
  contentType: string;
  sizeBytes: number;
  key: string;
}>;

type Checked = Readonly<{
  file: ReceivedFile;
  kind: UploadKind;
  contentType: string;
  bytes?: Buffer;
}>;

const formOverhead = 64 * 1024;

/** A file refused by policy (type, size, unreadable image): 413/415 and an UploadRejected. */
class UploadRefused extends CodedError {
  constructor(
    readonly kind: UploadKind,
    readonly reason: string,
  ) {
    super({ code: reason, category: 'validation' }, reason);
  }
}
const kindOf = { file_too_large: 'too_large', image_too_large: 'too_large' } as const;

/** Rejections that are policy decisions about an upload: counted, and recorded as events. */
const rejection = async (plan: IntakePlan, deps: UploadDeps, kind: UploadKind, reason: string) => {
  deps.metrics.uploadRejections.inc({ reason });
  await plan.record([{ type: 'RejectUpload', data: { kind, reason } }]);
};

const firstKind = (plan: IntakePlan): UploadKind => Object.values(plan.slots)[0] ?? 'document';

const reserve = async (deps: UploadDeps, plan: IntakePlan, req: IncomingMessage) => {
  const maxRequest = Object.keys(plan.slots).length * deps.maxFileBytes + formOverhead;
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxRequest) {
    await rejection(plan, deps, firstKind(plan), 'file_too_large');
    throw new AppError('too_large', 'file_too_large', 'the upload is larger than allowed');
  }
  const ask: QuotaRequest = {
    reservationId: deps.newId(),
    sessionId: plan.sessionId,
    tenantId: plan.tenantId,
    userKey: plan.userKey,
    ...plan.reserve,
    bytes: Number.isFinite(declared) ? declared : maxRequest,
  };
  const decision = await deps.quota.reserve(ask).catch(() => {
    throw new AppError(
      'unavailable',
      'quota_unavailable',
      'uploads are paused: quotas cannot be checked',
      {
        retryAfterSeconds: 5,
      },
    );
  });
  if (!decision.ok) {
    await rejection(plan, deps, firstKind(plan), decision.reason);
    throw new AppError('too_many', decision.reason, 'the upload quota is used up', {
      extra: { retry_after: decision.retryAfterSeconds, reason: decision.reason },
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
  // The metric is a ratio (Prometheus base unit); utilisation() speaks percent.
  deps.metrics.uploadSessionQuota.observe(utilisation(decision.usage, deps.limits) / 100);
  return ask;
};

/** Type by magic bytes, then images re-encoded without metadata; the first failure rejects all. */
const check = async (deps: UploadDeps, plan: IntakePlan, file: ReceivedFile): Promise<Checked> => {
  const kind = plan.slots[file.field] ?? 'document';
  const verdict = judgeType(kind, file.declaredType, await deps.sniffType(file.head));
  if (!verdict.ok) throw new UploadRefused(kind, verdict.reason);
  if (!verdict.contentType.startsWith('image/'))
    return { file, kind, contentType: verdict.contentType };
  const format = verdict.contentType.slice('image/'.length) as ImageFormat;
  const input = await deps.storage.readQuarantined(file.quarantineKey);
  const bytes = await deps.reencodeImage(input, format, deps.maxImagePixels).catch((e: unknown) => {
    throw e instanceof ImageRejected ? new UploadRefused(kind, e.reason) : e;
  });
  return { file, kind, contentType: verdict.contentType, bytes };
};

const publish = async (deps: UploadDeps, plan: IntakePlan, c: Checked): Promise<StoredUpload> => {
  const uploadId = deps.newId();
  const key = `${plan.sessionId}/${uploadId}.${extensionOf[c.contentType] ?? 'bin'}`;
  if (c.bytes) {
    await deps.storage.publish(key, { bytes: c.bytes });
    await deps.storage.discard(c.file.quarantineKey);
  } else {
    await deps.storage.publish(key, { quarantined: c.file.quarantineKey });
  }
  const sizeBytes = c.bytes?.length ?? c.file.size;
  return {
    uploadId,
    field: c.file.field,
    kind: c.kind,
    contentType: c.contentType,
    sizeBytes,
    key,
  };
};

const usageOf = (stored: readonly StoredUpload[]): QuotaUsage => ({
  photos: stored.filter((s) => s.kind === 'photo').length,
  documents: stored.filter((s) => s.kind === 'document').length,
  bytes: stored.reduce((sum, s) => sum + s.sizeBytes, 0),
});

/**
 * The upload pipeline: reserve the quota before reading a byte, stream into quarantine, check
 * every file, publish, record UploadAccepted, then commit what was stored. Anything that stops
 * it releases the reservation and leaves no published file behind.
 */
export const receiveUploads = async (deps: UploadDeps, plan: IntakePlan, req: IncomingMessage) => {
  const ask = await reserve(deps, plan, req);
  let settled = false;
  let files: readonly ReceivedFile[] = [];
  const stored: StoredUpload[] = [];
  try {
    const form = await readMultipart(req, deps.storage, {
      fileFields: Object.keys(plan.slots),
      maxFileBytes: deps.maxFileBytes,
      maxFields: plan.maxFields,
      maxFieldBytes: 4096,
    }).catch(async (error: unknown) => {
      if (error instanceof AppError && error.code === 'file_too_large')
        await rejection(plan, deps, firstKind(plan), 'file_too_large');
      throw error;
    });
    files = form.files;
    plan.validateFields(form.fields, files);
    const checked: Checked[] = [];
    for (const file of files)
      checked.push(await check(deps, plan, file).catch((e) => reject(deps, plan, e)));
    for (const c of checked) stored.push(await publish(deps, plan, c));
    await plan.record(
      stored.map((s) => ({
        type: 'AcceptUpload' as const,
        data: {
          uploadId: s.uploadId,
          kind: s.kind,
          sizeBytes: s.sizeBytes,
          contentType: s.contentType,
        },
      })),
    );
    await deps.quota.commit(ask, usageOf(stored));
    settled = true;
    return { fields: form.fields, stored };
  } finally {
    if (!settled) {
      await Promise.allSettled([
        deps.quota.release(ask),
        ...files.map((f) => deps.storage.discard(f.quarantineKey)),
        ...stored.map((s) => deps.storage.remove(s.key)),
      ]);
    }
  }
};

/** Turns a failed check into its 413/415 answer, after recording the rejection. */
const reject = async (deps: UploadDeps, plan: IntakePlan, error: unknown): Promise<never> => {
  if (!(error instanceof UploadRefused)) throw error;
  await rejection(plan, deps, error.kind, error.reason);
  const { reason } = error;
  const kind = reason in kindOf ? kindOf[reason as keyof typeof kindOf] : 'unsupported';
  throw new AppError(kind, reason, 'the file was not accepted');
};
