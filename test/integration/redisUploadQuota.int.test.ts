import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { loadConfig } from '../../infra/config/loadConfig';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { createRedisUploadQuota } from '../../infra/uploads/redisUploadQuota';
import { uploadQuotaContract } from '../support/contracts/uploadQuotaContract';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

// ioredis' own slot function (CRC16 of the hash tag), as Redis Cluster computes it.
const keySlot = createRequire(require.resolve('ioredis'))('cluster-key-slot') as (
  key: string,
) => number;

const clients: Redis[] = [];
afterAll(() => clients.forEach((c) => c.disconnect()));

// Two clients, as two API processes would be: reservations alternate between them.
uploadQuotaContract('Redis', async (limits) => {
  const keyPrefix = uniqueName('uq');
  const [a, b] = [createRedis(testEnv.redisUrl, 1_000), createRedis(testEnv.redisUrl, 1_000)];
  clients.push(a, b);
  await Promise.all([redisReady(a, 2_000), redisReady(b, 2_000)]);
  const qa = createRedisUploadQuota(a, { keyPrefix, limits, keepSeconds: 3600 });
  const qb = createRedisUploadQuota(b, { keyPrefix, limits, keepSeconds: 3600 });
  let turn = 0;
  const pick = () => ((turn += 1) % 2 ? qa : qb);
  return {
    reserve: (r) => pick().reserve(r),
    commit: (r, actual) => pick().commit(r, actual),
    release: (r) => pick().release(r),
    usage: (t, s) => pick().usage(t, s),
  };
});

describe('Redis upload quota keys', () => {
  it('puts every key one script touches in one Redis Cluster slot (no CROSSSLOT)', async () => {
    const keyPrefix = uniqueName('uq');
    const redis = createRedis(testEnv.redisUrl, 1_000);
    clients.push(redis);
    await redisReady(redis, 2_000);
    const quota = createRedisUploadQuota(redis, {
      keyPrefix,
      limits: loadConfig({}).uploads.limits,
      keepSeconds: 3600,
    });
    const request = {
      reservationId: 'r1',
      sessionId: 'session-1',
      tenantId: 'tenant-a',
      userKey: 'tenant-a:alice',
      photos: 1,
      documents: 0,
      bytes: 10,
    };
    // A reservation held and a committed one: the held, used, concurrency and burst keys exist.
    expect((await quota.reserve(request)).ok).toBe(true);
    await quota.commit(request, { photos: 1, documents: 0, bytes: 10 });
    expect((await quota.reserve({ ...request, reservationId: 'r2' })).ok).toBe(true);
    const keys = await redis.keys(`${keyPrefix}:*`);
    expect(keys.length).toBeGreaterThanOrEqual(4);
    expect(new Set(keys.map((k) => keySlot(k)))).toEqual(new Set([keySlot('{tenant-a}')]));
  });
});
