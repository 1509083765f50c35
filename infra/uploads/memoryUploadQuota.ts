import type {
  QuotaDecision,
  QuotaReason,
  QuotaRequest,
  QuotaUsage,
  UploadLimits,
  UploadQuota,
} from './uploadQuota';

type Held = QuotaUsage & { user: string; expiresAt: number };

/**
 * In-process upload quota for the embedded mode (`npm start` without Redis): the same rules as
 * the Redis scripts, one process only. It passes the same contract suite.
 */
export const createMemoryUploadQuota = (
  limits: UploadLimits,
  now: () => number = Date.now,
): UploadQuota => {
  const used = new Map<string, QuotaUsage>();
  const held = new Map<string, Map<string, Held>>();
  const bursts = new Map<string, { id: string; at: number }[]>();
  const zero: QuotaUsage = { photos: 0, documents: 0, bytes: 0 };

  const liveHeld = (sessionId: string, at: number) => {
    const mine = held.get(sessionId) ?? new Map<string, Held>();
    for (const [id, h] of mine) if (h.expiresAt <= at) mine.delete(id);
    held.set(sessionId, mine);
    return mine;
  };
  const inFlight = (user: string, at: number) =>
    [...held.values()]
      .flatMap((m) => [...m.values()])
      .filter((h) => h.user === user && h.expiresAt > at);

  const dropBurst = (r: QuotaRequest, count: number) => {
    let left = count;
    const kept = (bursts.get(r.userKey) ?? []).filter(
      (b) => b.id !== r.reservationId || left-- <= 0,
    );
    bursts.set(r.userKey, kept);
  };

  const overSession = (r: QuotaRequest, total: QuotaUsage): QuotaReason | null => {
    if (r.photos > 0 && total.photos + r.photos > limits.maxPhotosPerSession)
      return 'session_photo_limit';
    if (r.documents > 0 && total.documents + r.documents > limits.maxDocumentsPerSession)
      return 'session_document_limit';
    return total.bytes + r.bytes > limits.maxBytesPerSession ? 'session_size_limit' : null;
  };

  const check = (r: QuotaRequest, at: number, total: QuotaUsage, soonest: number) => {
    const reject = (reason: QuotaReason, waitMs: number): QuotaDecision => ({
      ok: false,
      reason,
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      usage: total,
    });
    const waitHeld = Number.isFinite(soonest) ? soonest - at : limits.leaseSeconds * 1000;
    const sessionReason = overSession(r, total);
    if (sessionReason) return reject(sessionReason, waitHeld);
    const burst = (bursts.get(r.userKey) ?? []).filter((b) => b.at > at - 60_000);
    bursts.set(r.userKey, burst);
    if (r.photos > 0 && burst.length + r.photos > limits.maxPhotosPerMinute)
      return reject('burst_limit', (burst[0]?.at ?? at) + 60_000 - at);
    const flying = inFlight(r.userKey, at);
    if (flying.length >= limits.maxConcurrentUploads)
      return reject(
        'concurrent_limit',
        Math.min(30_000, Math.min(...flying.map((h) => h.expiresAt)) - at),
      );
    return null;
  };

  return {
    reserve(r) {
      const at = now();
      const mine = liveHeld(r.sessionId, at);
      const u = used.get(r.sessionId) ?? zero;
      const hs = [...mine.values()];
      const total = {
        photos: u.photos + hs.reduce((s, h) => s + h.photos, 0),
        documents: u.documents + hs.reduce((s, h) => s + h.documents, 0),
        bytes: u.bytes + hs.reduce((s, h) => s + h.bytes, 0),
      };
      const rejected = check(r, at, total, Math.min(...hs.map((h) => h.expiresAt)));
      if (rejected) return Promise.resolve(rejected);
      const { photos, documents, bytes } = r;
      mine.set(r.reservationId, {
        photos,
        documents,
        bytes,
        user: r.userKey,
        expiresAt: at + limits.leaseSeconds * 1000,
      });
      bursts
        .get(r.userKey)
        ?.push(...Array.from({ length: photos }, () => ({ id: r.reservationId, at })));
      return Promise.resolve({
        ok: true,
        usage: {
          photos: total.photos + photos,
          documents: total.documents + documents,
          bytes: total.bytes + bytes,
        },
      });
    },
    commit(r, actual) {
      held.get(r.sessionId)?.delete(r.reservationId);
      const give = r.photos - Math.min(actual.photos, r.photos);
      if (give > 0) dropBurst(r, give);
      const u = used.get(r.sessionId) ?? zero;
      used.set(r.sessionId, {
        photos: u.photos + Math.min(actual.photos, r.photos),
        documents: u.documents + Math.min(actual.documents, r.documents),
        bytes: u.bytes + Math.min(actual.bytes, r.bytes),
      });
      return Promise.resolve();
    },
    release(r) {
      held.get(r.sessionId)?.delete(r.reservationId);
      dropBurst(r, r.photos);
      return Promise.resolve();
    },
    usage: (_tenantId, sessionId) => Promise.resolve(used.get(sessionId) ?? zero),
  };
};
