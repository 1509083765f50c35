import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { createJwtVerifier } from '../../../infra/auth/jwt';
import { migrate } from '../../../infra/postgres/migrate';
import { createPgliteSqlClient } from '../../../infra/postgres/pgliteSqlClient';
import { recordHeartbeat } from '../../../infra/postgres/workerHeartbeats';
import { createMemoryRateLimiter } from '../../../infra/rateLimit/memoryRateLimiter';
import type { RateLimiter } from '../../../infra/rateLimit/rateLimiter';
import { readModelMigrationDirs } from '../../../projections/migrations';
import { badTokens, bearer, buildTestApp, testAuth } from '../../support/apiHarness';

const base = '/api/v1/onboarding';

// health/ reads the read model's feed position, so the first call starts the in-memory PGlite
// (WebAssembly PostgreSQL), which takes seconds on a busy 2-core machine.
jest.setTimeout(30_000);

describe('authentication', () => {
  it('refuses missing, unsigned, expired, wrong-audience, wrong-issuer and wrong-algorithm tokens', async () => {
    const { app } = buildTestApp(createInMemoryEventStore());
    const tokens = await badTokens();
    const probe = (auth?: string) => {
      const req = request(app).post(`${base}/conversation/start/`).send({});
      return auth === undefined ? req : req.set('Authorization', auth);
    };
    expect((await probe()).body.error).toBe('authentication_required');
    expect((await probe('Basic abc')).status).toBe(401);
    expect((await probe(`Bearer ${tokens.expired}`)).body.error).toBe('token_expired');
    for (const token of [tokens.algNone, tokens.wrongAudience, tokens.wrongIssuer, tokens.hs512]) {
      const res = await probe(`Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_token');
    }
  });

  it('refuses to start with an HMAC secret shorter than 32 bytes', () => {
    expect(() => createJwtVerifier({ ...testAuth, secret: 'short-secret' })).toThrow(
      /at least 32 bytes/,
    );
  });
});

describe('the error envelope and correlation ids', () => {
  it('answers 404 for unknown routes, 400 for broken JSON and 413 for large bodies', async () => {
    const { app } = buildTestApp(createInMemoryEventStore(), { bodyLimitBytes: 1024 });
    const auth = await bearer('user');
    const unknown = await request(app).get('/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: 'not_found',
      detail: 'no such route',
      field_errors: {},
      correlation_id: expect.any(String),
    });
    const broken = await request(app)
      .post(`${base}/conversation/start/`)
      .set('Authorization', auth)
      .set('Content-Type', 'application/json')
      .send('{"language":');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('invalid_json');
    const large = await request(app)
      .post(`${base}/conversation/start/`)
      .set('Authorization', auth)
      .send({ initial_input: 'x'.repeat(5000) });
    expect(large.status).toBe(413);
    expect(large.body.error).toBe('payload_too_large');
  });

  it('echoes a well-formed X-Correlation-ID, replaces a malformed one, and stores it in event metadata', async () => {
    const store = createInMemoryEventStore();
    const { app } = buildTestApp(store);
    const ok = await request(app)
      .post(`${base}/conversation/start/`)
      .set('Authorization', await bearer('user'))
      .set('X-Correlation-ID', 'req-123')
      .send({});
    expect(ok.headers['x-correlation-id']).toBe('req-123');
    const { events } = await store.readStream(`onboarding-${ok.body.conversation_id as string}`);
    expect(events[0]?.metadata.correlationId).toBe('req-123');
    const bad = await request(app)
      .get('/nope')
      .set('X-Correlation-ID', 'bad id with spaces <script>');
    expect(bad.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never logs answers, tokens or bodies', async () => {
    const { app, logLines } = buildTestApp(createInMemoryEventStore());
    const auth = await bearer('user', 'tenant-a', 'alice');
    const start = await request(app)
      .post(`${base}/conversation/start/`)
      .set('Authorization', auth)
      .send({ initial_input: 'jane.doe@example.com +44 7700 900123' });
    await request(app)
      .post(`${base}/sessions/${start.body.conversation_id as string}/events/`)
      .set('Authorization', auth)
      .send({
        events: [
          {
            type: 'question_answered',
            step: 'approval',
            question_id: 'q',
            answer: 'Jane Doe lives at 1 Main St',
          },
        ],
      });
    expect(logLines.length).toBeGreaterThan(0);
    const all = logLines.join('\n');
    for (const canary of ['jane.doe@example.com', '7700 900123', 'Jane Doe', auth.slice(7, 40)])
      expect(all).not.toContain(canary);
  });
});

describe('GET health/', () => {
  it('is 200 healthy when healthy, 200 degraded when an optional part fails, 503 unhealthy when the store fails', async () => {
    const store = createInMemoryEventStore();
    const fail = () => Promise.reject(new Error('down'));
    const healthy = buildTestApp(store, {
      probes: {
        event_store: () => store.ping(),
        database: () => Promise.resolve(),
        kafka: null,
        redis: null,
      },
    });
    const res = await request(healthy.app).get(`${base}/health/`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'healthy',
      checks: {
        event_store: 'pass',
        database: 'pass',
        kafka: 'disabled',
        redis: 'disabled',
        rate_limiter: 'pass',
        relay_worker: 'disabled',
        projector_worker: 'disabled',
        detector_worker: 'disabled',
        celery_workers: 'disabled',
      },
      rate_limiter_breaker: 'closed',
      workers: {},
      timestamp: expect.any(String),
      // Nothing appended yet: the projection has nothing to catch up on.
      projections: { 'session-summary-v1': { lag_events: 0, lag_seconds: 0 } },
    });
    const degraded = buildTestApp(store, {
      probes: { event_store: () => store.ping(), database: null, kafka: fail, redis: null },
    });
    expect((await request(degraded.app).get(`${base}/health/`)).body.status).toBe('degraded');
    const down = buildTestApp(store, {
      probes: { event_store: fail, database: null, kafka: null, redis: null },
    });
    const downRes = await request(down.app).get(`${base}/health/`);
    expect(downRes.status).toBe(503);
    expect(downRes.body.status).toBe('unhealthy');
    expect(downRes.body.checks.event_store).toBe('fail');
  });

  it('checks worker heartbeats: a fresh beat passes, a missing or stale one degrades (200)', async () => {
    const sql = await createPgliteSqlClient('memory://');
    await migrate(sql, readModelMigrationDirs);
    const store = createInMemoryEventStore();
    const { app } = buildTestApp(store, {
      sql,
      expectedWorkers: ['projector', 'detector'],
      env: { WORKER_HEARTBEAT_STALE_SECONDS: '30' },
    });
    type Health = { workers: Record<string, { age_seconds: number }> };
    const health = async () => (await request(app).get(`${base}/health/`)).body as Health;
    expect(await health()).toMatchObject({
      status: 'degraded',
      checks: { projector_worker: 'fail', detector_worker: 'fail', relay_worker: 'disabled' },
      workers: { projector: { last_heartbeat_at: null } },
    });
    await recordHeartbeat(sql, 'projector', 'p-1');
    await recordHeartbeat(sql, 'detector', 'd-1');
    const fresh = await health();
    expect(fresh).toMatchObject({
      status: 'healthy',
      checks: { projector_worker: 'pass', detector_worker: 'pass', celery_workers: 'pass' },
    });
    expect(fresh.workers.projector?.age_seconds).toBeLessThan(30);
    await sql.query(
      "UPDATE waymark.worker_heartbeats SET beat_at = now() - interval '31 seconds' WHERE worker = 'detector'",
    );
    const stale = await request(app).get(`${base}/health/`);
    expect(stale.status).toBe(200);
    expect(stale.body).toMatchObject({
      status: 'degraded',
      checks: { projector_worker: 'pass', detector_worker: 'fail', celery_workers: 'fail' },
    });
    await sql.close();
  });

  it('reports the rate limiter breaker: open degrades', async () => {
    const inner = createMemoryRateLimiter('breaker');
    const limiter: RateLimiter = { consume: inner.consume, breakerState: () => 'open' };
    const { app } = buildTestApp(createInMemoryEventStore(), { limiter });
    const res = await request(app).get(`${base}/health/`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'degraded',
      checks: { rate_limiter: 'fail' },
      rate_limiter_breaker: 'open',
    });
  });

  it('answers health/quick/ for liveness without asking any dependency', async () => {
    const fail = () => Promise.reject(new Error('down'));
    const { app } = buildTestApp(createInMemoryEventStore(), {
      probes: { event_store: fail, database: fail, kafka: fail, redis: fail },
    });
    const res = await request(app).get(`${base}/health/quick/`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'healthy',
      message: expect.any(String),
      feature_enabled: true,
      timestamp: expect.any(String),
    });
  });
});
