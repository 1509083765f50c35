/** Per-session and per-user upload limits (the ONBOARDING_* settings). */
export type UploadLimits = Readonly<{
  maxPhotosPerSession: number;
  maxDocumentsPerSession: number;
  maxBytesPerSession: number;
  maxPhotosPerMinute: number;
  maxConcurrentUploads: number;
  /** Lease of a reservation: one not committed or released by then (a crashed process) expires. */
  leaseSeconds: number;
}>;

export type QuotaReason =
  | 'session_photo_limit'
  | 'session_document_limit'
  | 'session_size_limit'
  | 'burst_limit'
  | 'concurrent_limit';

/** What one upload request asks for: counts are upper bounds, bytes the request's size bound. */
export type QuotaRequest = Readonly<{
  reservationId: string;
  sessionId: string;
  /** The session's tenant: every key of one request lives in the tenant's Redis Cluster slot. */
  tenantId: string;
  /** Tenant and user: burst and concurrency are per user. */
  userKey: string;
  photos: number;
  documents: number;
  bytes: number;
}>;

export type QuotaUsage = Readonly<{ photos: number; documents: number; bytes: number }>;

export type QuotaDecision =
  | Readonly<{ ok: true; usage: QuotaUsage }>
  | Readonly<{ ok: false; reason: QuotaReason; retryAfterSeconds: number; usage: QuotaUsage }>;

/**
 * The upload quota port. `reserve` checks and takes every limit in one atomic step (nothing can
 * overshoot under concurrency); the caller then `commit`s what was really stored (counts and
 * bytes, at most what was reserved) or `release`s it all. Reserved-but-unsettled amounts count
 * against the session until their lease ends. Errors (store unreachable) are thrown: callers
 * fail closed.
 */
export interface UploadQuota {
  reserve(request: QuotaRequest): Promise<QuotaDecision>;
  commit(request: QuotaRequest, actual: QuotaUsage): Promise<void>;
  release(request: QuotaRequest): Promise<void>;
  usage(tenantId: string, sessionId: string): Promise<QuotaUsage>;
}

/** Utilisation of the tightest session limit, in percent (the upload_throttling_session_quota_ratio metric divides by 100). */
export const utilisation = (usage: QuotaUsage, limits: UploadLimits): number =>
  100 *
  Math.max(
    usage.photos / limits.maxPhotosPerSession,
    usage.documents / limits.maxDocumentsPerSession,
    usage.bytes / limits.maxBytesPerSession,
  );
