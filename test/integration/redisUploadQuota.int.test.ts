import type { Redis } from 'ioredis';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { createRedisUploadQuota } from '../../infra/uploads/redisUploadQuota';
import { uploadQuotaContract } from '../support/contracts/uploadQuotaContract';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

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
    usage: (s) => pick().usage(s),
  };
});
