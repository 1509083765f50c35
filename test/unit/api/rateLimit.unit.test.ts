import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { bearer, buildTestApp } from '../../support/apiHarness';

const base = '/api/v1/onboarding';

describe('rate limiting on the session routes (documented defaults, in-memory limiter)', () => {
  it('answers 429 from the 101st request in the window, with the headers and the envelope', async () => {
    const { app } = buildTestApp(createInMemoryEventStore());
    const auth = await bearer('user', 'tenant-a', 'alice');
    const id = (
      await request(app).post(`${base}/conversation/start/`).set('Authorization', auth).send({})
    ).body.conversation_id as string;
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 110; i += 1) {
      last = await request(app).get(`${base}/sessions/${id}/`).set('Authorization', auth);
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers['ratelimit-policy']).toBe('"standard";q=100;w=300');
        expect(last.headers.ratelimit).toMatch(/^"standard";r=99;t=\d+$/);
        expect(last.headers['x-ratelimit-limit']).toBe('100');
        expect(last.headers['x-ratelimit-remaining']).toBe('99');
        expect(Number(last.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
      }
    }
    expect(statuses.slice(0, 100).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(100).every((s) => s === 429)).toBe(true);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    expect(last?.body).toMatchObject({
      error: 'rate_limit_exceeded',
      retry_after: expect.any(Number),
      limit_info: { limit: 100, remaining: 0 },
      correlation_id: expect.any(String),
    });
  });

  it('limits a service per end user: 200 distinct users all start, the 51st start for one user within the hour is 429', async () => {
    const { app } = buildTestApp(createInMemoryEventStore());
    const service = await bearer('service', 'tenant-a', 'svc');
    const start = (userId: string) =>
      request(app)
        .post(`${base}/conversation/start/`)
        .set('Authorization', service)
        .send({ user_id: userId, resume_existing: true });
    const distinct: number[] = [];
    for (let i = 0; i < 200; i += 1) distinct.push((await start(`u${i}`)).status);
    expect(distinct.filter((s) => s === 201)).toHaveLength(200);
    const one: request.Response[] = [];
    for (let i = 0; i < 51; i += 1) one.push(await start('repeat'));
    // The first start creates the session, the next 49 resume it, the 51st is over the limit.
    expect(one.map((r) => r.status)).toEqual([201, ...Array<number>(49).fill(200), 429]);
    expect(one[0]?.headers['ratelimit-policy']).toBe('"critical";q=50;w=3600');
    expect(one[50]?.body.error).toBe('rate_limit_exceeded');
    // Another user of the same service is not affected.
    expect((await start('fresh')).status).toBe(201);
    const read = await request(app)
      .get(`${base}/sessions/${one[0]?.body.conversation_id as string}/`)
      .set('Authorization', service);
    expect(read.headers['ratelimit-policy']).toBe('"staff";q=500;w=300');
  });

  it('limits a service as a whole by the aggregate policy, with its headers when it decides', async () => {
    const { app } = buildTestApp(createInMemoryEventStore(), {
      env: {
        RATE_LIMITER_SERVICE_AGGREGATE_LIMIT: '3',
        RATE_LIMITER_SERVICE_AGGREGATE_WINDOW_SECONDS: '60',
      },
    });
    const service = await bearer('service', 'tenant-a', 'svc');
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 4; i += 1) {
      last = await request(app)
        .post(`${base}/conversation/start/`)
        .set('Authorization', service)
        .send({ user_id: `agg${i}` });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(last?.headers['ratelimit-policy']).toBe('"service_aggregate";q=3;w=60');
    const other = await request(app)
      .post(`${base}/conversation/start/`)
      .set('Authorization', await bearer('service', 'tenant-a', 'svc-2'))
      .send({ user_id: 'agg-other' });
    expect(other.status).toBe(201);
  });

  it('takes per-role policies from RATE_LIMITER_ROLE_POLICIES', async () => {
    const { app } = buildTestApp(createInMemoryEventStore(), {
      env: { RATE_LIMITER_ROLE_POLICIES: 'admin=7/60' },
    });
    const res = await request(app)
      .get(`${base}/sessions/${randomUUID()}/`)
      .set('Authorization', await bearer('admin'));
    expect(res.headers['ratelimit-policy']).toBe('"admin";q=7;w=60');
  });

  it('records a refusal on the session as RateLimitHit, once a minute, and only for its writers', async () => {
    const store = createInMemoryEventStore();
    const { app } = buildTestApp(store, {
      policies: {
        standard: { name: 'standard', points: 2, durationSeconds: 300 },
        staff: { name: 'staff', points: 500, durationSeconds: 300 },
        critical: { name: 'critical', points: 50, durationSeconds: 3600 },
      },
    });
    const alice = await bearer('user', 'tenant-a', 'alice');
    const id = (
      await request(app).post(`${base}/conversation/start/`).set('Authorization', alice).send({})
    ).body.conversation_id as string;
    const hits = async () =>
      (await store.readStream(`onboarding-${id}`)).events.filter((e) => e.type === 'RateLimitHit');
    const read = (auth: string) =>
      request(app).get(`${base}/sessions/${id}/`).set('Authorization', auth);
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await read(alice)).status);
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    for (let i = 0; i < 3_000 && (await hits()).length === 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await hits()).map((e) => e.data)).toEqual([
      { resource: 'session_read', at: expect.any(String) },
    ]);
    // Someone who may not write the session gets refused too, but records nothing on it.
    const mallory = await bearer('user', 'tenant-a', 'mallory');
    for (let i = 0; i < 4; i += 1) await read(mallory);
    // Recording happens in the background, so "nothing recorded" needs a sync point, not a sleep:
    // a later refusal of alice on another resource is recorded after mallory's refusals were
    // handled (theirs started first and stop earlier, at the access check). Wait for it.
    const write = () =>
      request(app)
        .post(`${base}/sessions/${id}/events/`)
        .set('Authorization', alice)
        .send({ events: [{ type: 'step_entered', step: 'information_collection' }] });
    const writes = [];
    for (let i = 0; i < 3; i += 1) writes.push((await write()).status);
    expect(writes).toEqual([201, 201, 429]);
    for (let i = 0; i < 3_000 && (await hits()).length < 2; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await hits()).map((e) => (e.data as { resource: string }).resource)).toEqual([
      'session_read',
      'session_events',
    ]);
  });
});
