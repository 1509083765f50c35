import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QuotaRequest, UploadLimits, UploadQuota } from '../../../infra/uploads/uploadQuota';

const roomy: UploadLimits = {
  maxPhotosPerSession: 50,
  maxDocumentsPerSession: 20,
  maxBytesPerSession: 100 * 1024 * 1024,
  maxPhotosPerMinute: 1000,
  maxConcurrentUploads: 1000,
  leaseSeconds: 60,
};

const ask = (
  sessionId: string,
  userKey: string,
  part: Partial<QuotaRequest> = {},
): QuotaRequest => ({
  reservationId: randomUUID(),
  sessionId,
  tenantId: userKey.split(':')[0] ?? '',
  userKey,
  photos: 0,
  documents: 0,
  bytes: 1000,
  ...part,
});

/**
 * The UploadQuota contract: the Redis adapter and the in-memory one (embedded mode) both run it.
 * `open(limits)` gives a quota with those limits over fresh keys.
 */
export const uploadQuotaContract = (
  name: string,
  open: (limits: UploadLimits) => Promise<UploadQuota>,
) => {
  describe(`UploadQuota contract: ${name}`, () => {
    const ids = () => [randomUUID(), `t:${randomUUID()}`] as const;

    it('lets concurrent reservations take exactly the session limit, never more', async () => {
      const quota = await open(roomy);
      const [session, user] = ids();
      const results = await Promise.all(
        Array.from({ length: 60 }, () => quota.reserve(ask(session, user, { documents: 1 }))),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(20);
      const denied = results.filter((r) => !r.ok);
      expect(denied.every((r) => !r.ok && r.reason === 'session_document_limit')).toBe(true);
      expect(denied.every((r) => !r.ok && r.retryAfterSeconds >= 1)).toBe(true);
    });

    it('counts photos per session and gives back what is released or not used', async () => {
      const quota = await open({ ...roomy, maxPhotosPerSession: 2 });
      const [session, user] = ids();
      const a = ask(session, user, { photos: 1 });
      const b = ask(session, user, { photos: 1 });
      expect((await quota.reserve(a)).ok).toBe(true);
      expect((await quota.reserve(b)).ok).toBe(true);
      const third = await quota.reserve(ask(session, user, { photos: 1 }));
      expect(third).toMatchObject({ ok: false, reason: 'session_photo_limit' });
      await quota.release(a);
      await quota.commit(b, { photos: 0, documents: 0, bytes: 10 });
      expect((await quota.reserve(ask(session, user, { photos: 1 }))).ok).toBe(true);
      expect((await quota.reserve(ask(session, user, { photos: 1 }))).ok).toBe(true);
      expect(await quota.usage('t', session)).toEqual({ photos: 0, documents: 0, bytes: 10 });
    });

    it('holds the byte budget while a reservation is open and commits only what was stored', async () => {
      const quota = await open({ ...roomy, maxBytesPerSession: 10_000 });
      const [session, user] = ids();
      const big = ask(session, user, { bytes: 8_000 });
      expect((await quota.reserve(big)).ok).toBe(true);
      const over = await quota.reserve(ask(session, user, { bytes: 3_000 }));
      expect(over).toMatchObject({ ok: false, reason: 'session_size_limit' });
      await quota.commit(big, { photos: 0, documents: 0, bytes: 5_000 });
      expect((await quota.reserve(ask(session, user, { bytes: 3_000 }))).ok).toBe(true);
      expect((await quota.usage('t', session)).bytes).toBe(5_000);
    });

    it('limits photos per user per rolling minute (burst), across sessions', async () => {
      const quota = await open({ ...roomy, maxPhotosPerMinute: 3 });
      const user = `t:${randomUUID()}`;
      for (let i = 0; i < 3; i += 1) {
        expect((await quota.reserve(ask(randomUUID(), user, { photos: 1 }))).ok).toBe(true);
      }
      const denied = await quota.reserve(ask(randomUUID(), user, { photos: 1 }));
      expect(denied).toMatchObject({ ok: false, reason: 'burst_limit' });
      expect(!denied.ok && denied.retryAfterSeconds).toBeGreaterThan(0);
      expect(!denied.ok && denied.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect((await quota.reserve(ask(randomUUID(), user, { documents: 1 }))).ok).toBe(true);
    });

    it('counts uploads in flight per user; a settled one frees its slot', async () => {
      const quota = await open({ ...roomy, maxConcurrentUploads: 3 });
      const user = `t:${randomUUID()}`;
      const open3 = [ask(randomUUID(), user), ask(randomUUID(), user), ask(randomUUID(), user)];
      for (const r of open3) expect((await quota.reserve(r)).ok).toBe(true);
      expect(await quota.reserve(ask(randomUUID(), user))).toMatchObject({
        ok: false,
        reason: 'concurrent_limit',
      });
      await quota.commit(open3[0] as QuotaRequest, { photos: 0, documents: 0, bytes: 1 });
      expect((await quota.reserve(ask(randomUUID(), user))).ok).toBe(true);
    });

    it('expires a reservation that is never settled (a crashed process) after its lease', async () => {
      const quota = await open({
        ...roomy,
        maxConcurrentUploads: 1,
        maxDocumentsPerSession: 1,
        leaseSeconds: 1,
      });
      const [session, user] = ids();
      expect((await quota.reserve(ask(session, user, { documents: 1 }))).ok).toBe(true);
      expect((await quota.reserve(ask(session, user, { documents: 1 }))).ok).toBe(false);
      await sleep(1_100);
      expect((await quota.reserve(ask(session, user, { documents: 1 }))).ok).toBe(true);
    });
  });
};
