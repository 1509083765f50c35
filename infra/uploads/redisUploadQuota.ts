import type { ClientContext, Result } from 'ioredis';
import type { RedisClient } from '../redis/createRedis';
import { commitScript, releaseScript, reserveScript } from './quotaScripts';
import type {
  QuotaDecision,
  QuotaReason,
  QuotaRequest,
  QuotaUsage,
  UploadLimits,
  UploadQuota,
} from './uploadQuota';

type ReserveReply = [number, string, number, number, number, number];

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext = { type: 'default' }> {
    waymarkQuotaReserve(...args: (string | number)[]): Result<ReserveReply, Context>;
    waymarkQuotaCommit(...args: (string | number)[]): Result<number, Context>;
    waymarkQuotaRelease(...args: (string | number)[]): Result<number, Context>;
  }
}

/**
 * Upload quota in Redis: one EVALSHA per reserve, commit or release (ioredis defineCommand loads
 * the script once and falls back to EVAL after a script flush). The session's committed counts
 * are kept for `keepSeconds` after its last upload; a Redis restart without persistence forgets
 * them (the event stream still holds every UploadAccepted).
 */
export const createRedisUploadQuota = (
  redis: RedisClient,
  settings: Readonly<{ keyPrefix: string; limits: UploadLimits; keepSeconds: number }>,
): UploadQuota => {
  redis.defineCommand('waymarkQuotaReserve', { numberOfKeys: 4, lua: reserveScript });
  redis.defineCommand('waymarkQuotaCommit', { numberOfKeys: 4, lua: commitScript });
  redis.defineCommand('waymarkQuotaRelease', { numberOfKeys: 4, lua: releaseScript });
  const { limits, keyPrefix } = settings;
  const keepMs = settings.keepSeconds * 1000;
  // One script touches the session's and the user's keys: Redis Cluster runs it only if they
  // hash to one slot (else CROSSSLOT), so they share the tenant as hash tag `{tenant}`.
  const slot = (tenantId: string) => `${keyPrefix}:{${tenantId}}`;
  const keys = (r: Pick<QuotaRequest, 'tenantId' | 'sessionId' | 'userKey'>) => [
    `${slot(r.tenantId)}:s:${r.sessionId}:used`,
    `${slot(r.tenantId)}:s:${r.sessionId}:held`,
    `${slot(r.tenantId)}:u:${r.userKey}:conc`,
    `${slot(r.tenantId)}:u:${r.userKey}:burst`,
  ];

  return {
    async reserve(r): Promise<QuotaDecision> {
      const [status, reason, retryMs, photos, documents, bytes] = await redis.waymarkQuotaReserve(
        ...keys(r),
        r.reservationId,
        r.photos,
        r.documents,
        r.bytes,
        limits.maxPhotosPerSession,
        limits.maxDocumentsPerSession,
        limits.maxBytesPerSession,
        limits.maxPhotosPerMinute,
        limits.maxConcurrentUploads,
        limits.leaseSeconds * 1000,
        keepMs,
      );
      const usage = { photos, documents, bytes };
      if (status === 0) return { ok: true, usage };
      const retryAfterSeconds = Math.max(1, Math.ceil(retryMs / 1000));
      return { ok: false, reason: reason as QuotaReason, retryAfterSeconds, usage };
    },
    async commit(r, actual) {
      await redis.waymarkQuotaCommit(
        ...keys(r),
        r.reservationId,
        r.photos,
        Math.min(actual.photos, r.photos),
        Math.min(actual.documents, r.documents),
        Math.min(actual.bytes, r.bytes),
        keepMs,
      );
    },
    async release(r) {
      await redis.waymarkQuotaRelease(...keys(r), r.reservationId, r.photos);
    },
    async usage(tenantId, sessionId): Promise<QuotaUsage> {
      const [p, d, b] = await redis.hmget(
        `${slot(tenantId)}:s:${sessionId}:used`,
        'photos',
        'documents',
        'bytes',
      );
      return { photos: Number(p ?? 0), documents: Number(d ?? 0), bytes: Number(b ?? 0) };
    },
  };
};
