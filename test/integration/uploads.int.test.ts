import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { createRedisUploadQuota } from '../../infra/uploads/redisUploadQuota';
import { bearer, buildTestApp, testUploadLimits } from '../support/apiHarness';
import { pdf } from '../support/builders/uploads';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

const base = '/api/v1/onboarding';
const clients: Redis[] = [];
afterAll(() => clients.forEach((c) => c.disconnect()));

const redisQuota = async (url = testEnv.redisUrl, waitReady = true) => {
  const redis = createRedis(url, 100);
  redis.on('error', () => undefined);
  clients.push(redis);
  if (waitReady) await redisReady(redis, 2_000);
  const keyPrefix = uniqueName('uq');
  return createRedisUploadQuota(redis, { keyPrefix, limits: testUploadLimits, keepSeconds: 600 });
};

const setup = async (quota: Awaited<ReturnType<typeof redisQuota>>) => {
  const { app } = buildTestApp(createInMemoryEventStore(), { uploadQuota: quota });
  const user = await bearer('user', 'tenant-a', `u-${uniqueName('x')}`);
  const session = (
    await request(app).post(`${base}/conversation/start/`).set('Authorization', user).send({})
  ).body.conversation_id as string;
  return { app, user, session };
};

/** A multipart upload sent in two halves: the request is in flight until `finish` is called. */
const stalledUpload = (port: number, path: string, auth: string) => {
  const boundary = 'waymarkboundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = Buffer.concat([head, pdf(), tail]);
  let status = 0;
  const stalled: (() => void)[] = [];
  const done = new Promise<number>((resolve, reject) => {
    const req = http.request(
      {
        port,
        path,
        method: 'POST',
        headers: {
          Authorization: auth,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': body.length,
        },
      },
      (res) => {
        status = res.statusCode ?? 0;
        res.resume().on('end', () => resolve(status));
      },
    );
    req.on('error', reject);
    req.write(body.subarray(0, head.length + 10));
    stalled.push(() => req.end(body.subarray(head.length + 10)));
  });
  return { done, finish: () => stalled.forEach((f) => f()) };
};

describe('uploads on the Redis quota', () => {
  it('counts in Redis, and a fourth upload in flight for one user is 429 concurrent_limit', async () => {
    // Counts granted reservations, so the test waits for the three uploads to be in flight (a
    // condition) instead of sleeping and hoping they got there.
    const quota = await redisQuota();
    let granted = 0;
    const counting: typeof quota = {
      ...quota,
      reserve: async (r) => {
        const d = await quota.reserve(r);
        if (d.ok) granted += 1;
        return d;
      },
    };
    const api = await setup(counting);
    const server = api.app.listen(0);
    const { port } = server.address() as AddressInfo;
    try {
      const path = `${base}/sessions/${api.session}/uploads/`;
      const flying = [0, 1, 2].map(() => stalledUpload(port, path, api.user));
      for (let i = 0; i < 3_000 && granted < 3; i += 1) await sleep(10);
      expect(granted).toBe(3);
      const fourth = await request(api.app)
        .post(path)
        .set('Authorization', api.user)
        .attach('file', pdf(), { filename: 'd.pdf', contentType: 'application/pdf' });
      expect(fourth.status).toBe(429);
      expect(fourth.body.error).toBe('concurrent_limit');
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
      flying.forEach((f) => f.finish());
      expect(await Promise.all(flying.map((f) => f.done))).toEqual([201, 201, 201]);
      const after = await request(api.app)
        .post(path)
        .set('Authorization', api.user)
        .attach('file', pdf(), { filename: 'd.pdf', contentType: 'application/pdf' });
      expect(after.status).toBe(201);
      expect(after.body.quota.documents.used).toBe(4);
    } finally {
      server.close();
    }
  });

  it('fails closed: with Redis unreachable an upload is 503 with Retry-After, nothing stored', async () => {
    const api = await setup(await redisQuota('redis://127.0.0.1:1', false));
    const res = await request(api.app)
      .post(`${base}/sessions/${api.session}/uploads/`)
      .set('Authorization', api.user)
      .attach('file', pdf(), { filename: 'd.pdf', contentType: 'application/pdf' });
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('quota_unavailable');
    expect(res.headers['retry-after']).toBe('5');
  });
});
