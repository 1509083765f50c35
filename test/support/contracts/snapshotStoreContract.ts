import { randomUUID } from 'node:crypto';
import {
  fold,
  sessionStateSchemaVersion,
  type SessionState,
} from '../../../events/onboarding/state';
import type { SessionSnapshot, SnapshotStore } from '../../../infra/snapshots/snapshotStore';
import { sessionStarted } from '../builders/onboarding';

const snapshotOf = (sessionId: string, position: number): SessionSnapshot => ({
  sessionId,
  position,
  schemaVersion: sessionStateSchemaVersion,
  state: { ...(fold([sessionStarted({ sessionId })]) as SessionState), eventCount: position + 1 },
  takenAt: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(),
});

/** The SnapshotStore contract (Redis, PostgreSQL, memory). */
export const snapshotStoreContract = (name: string, open: () => Promise<SnapshotStore>) => {
  describe(`SnapshotStore contract: ${name}`, () => {
    it('returns null for a session without snapshots', async () => {
      expect(await (await open()).latest(randomUUID())).toBeNull();
    });

    it('returns the snapshot as written, and the newer one after a second write', async () => {
      const store = await open();
      const id = randomUUID();
      await store.save(snapshotOf(id, 3));
      expect(await store.latest(id)).toEqual(snapshotOf(id, 3));
      await store.save(snapshotOf(id, 9));
      expect(await store.latest(id)).toEqual(snapshotOf(id, 9));
    });

    it('writes idempotently and keeps sessions apart', async () => {
      const store = await open();
      const [a, b] = [randomUUID(), randomUUID()];
      await Promise.all([store.save(snapshotOf(a, 2)), store.save(snapshotOf(a, 2))]);
      await store.save(snapshotOf(b, 5));
      expect((await store.latest(a))?.position).toBe(2);
      expect((await store.latest(b))?.position).toBe(5);
    });
  });
};
