import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { fold } from '../../events/onboarding/state';
import { onboardingStream } from '../../events/streamNames';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createMemorySnapshotStore } from '../../infra/snapshots/memorySnapshotStore';
import { createPgSnapshotStore } from '../../infra/snapshots/pgSnapshotStore';
import { createRedisSnapshotStore, snapshotKey } from '../../infra/snapshots/redisSnapshotStore';
import { createRestorer } from '../../services/recovery/restoreSession';
import { createSnapshotter } from '../../services/recovery/snapshotter';
import { actionsArb, historyOf } from '../support/arbitraries/sessionHistory';
import { snapshotStoreContract } from '../support/contracts/snapshotStoreContract';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { unreachableRedis } from '../support/privateRedis';
import { testEnv } from '../support/testEnv';

let db: TestDatabase;
let redis: Redis;
let deadRedis: Redis;
beforeAll(async () => {
  db = await createTestDatabase();
  redis = new Redis(testEnv.redisUrl);
  deadRedis = unreachableRedis();
});
afterAll(async () => {
  redis.disconnect();
  await db.drop();
});

snapshotStoreContract('Redis', () => Promise.resolve(createRedisSnapshotStore(redis, 60)));
snapshotStoreContract('PostgreSQL', () => Promise.resolve(createPgSnapshotStore(db.sql)));
snapshotStoreContract('memory', () => Promise.resolve(createMemorySnapshotStore(60)));

const metadata = { correlationId: 'c', tenantId: 'tenant-a', actor: 'test' };

describe('restore on the real store, Redis and PostgreSQL', () => {
  it('snapshot + tail equals the full fold, from Redis, from PostgreSQL with Redis down, and by replay', async () => {
    const eventStore = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const pg = createPgSnapshotStore(db.sql);
    const up = [
      { name: 'redis', store: createRedisSnapshotStore(redis, 60) },
      { name: 'postgresql', store: pg },
    ];
    const down = [
      { name: 'redis', store: createRedisSnapshotStore(deadRedis, 60) },
      { name: 'postgresql', store: pg },
    ];
    await fc.assert(
      fc.asyncProperty(actionsArb(40), fc.nat(), async (actions, cut) => {
        const sessionId = randomUUID();
        const events = historyOf(actions, sessionId);
        await eventStore.appendToStream(
          onboardingStream(sessionId),
          events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data, metadata })),
          { expectedVersion: -1 },
        );
        const whole = fold(events);
        const none = await createRestorer({ eventStore, tiers: up })(sessionId);
        expect(none).toMatchObject({ state: whole, source: 'replay' });

        const k = 1 + (cut % events.length);
        const partial = fold(events.slice(0, k));
        if (partial === null) throw new Error('a history starts with SessionStarted');
        const taken = await createSnapshotter(up, () => new Date()).take(partial, k - 1);
        expect(taken).toEqual({ redis: true, postgresql: true });
        expect(await redis.ttl(snapshotKey(sessionId))).toBeGreaterThan(0);

        const fromRedis = await createRestorer({ eventStore, tiers: up })(sessionId);
        expect(fromRedis).toEqual({
          state: whole,
          version: events.length - 1,
          source: 'redis',
          tailLength: events.length - k,
        });
        const fromPg = await createRestorer({ eventStore, tiers: down })(sessionId);
        expect(fromPg).toMatchObject({ state: whole, source: 'postgresql' });
        expect(await createSnapshotter(down, () => new Date()).take(partial, k - 1)).toEqual({
          redis: false,
          postgresql: true,
        });
      }),
      { numRuns: 40 },
    );
  });
});
