import request from 'supertest';
import { loadConfig } from '../../../infra/config/loadConfig';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { bearer, buildTestApp } from '../../support/apiHarness';

const base = '/api/v1/onboarding';
const allowed = 'https://app.example.com';
const other = 'https://evil.example.net';

const appWith = (origins?: string) =>
  buildTestApp(createInMemoryEventStore(), {
    env: origins === undefined ? {} : { CORS_ALLOWED_ORIGINS: origins },
  }).app;

const preflight = (app: ReturnType<typeof appWith>, origin: string) =>
  request(app)
    .options(`${base}/conversation/start/`)
    .set('Origin', origin)
    .set('Access-Control-Request-Method', 'POST')
    .set('Access-Control-Request-Headers', 'authorization,content-type');

describe('CORS', () => {
  it('sends no CORS header by default, and a preflight is not answered', async () => {
    const app = appWith();
    const res = await request(app).get(`${base}/health/quick/`).set('Origin', allowed);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await preflight(app, allowed);
    expect(pre.status).not.toBe(204);
    expect(pre.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('lets a listed origin read responses, errors included, and no other origin', async () => {
    const app = appWith(`https://other.example.org, ${allowed}`);
    const ok = await request(app)
      .post(`${base}/conversation/start/`)
      .set('Origin', allowed)
      .set('Authorization', await bearer('user'))
      .send({});
    expect(ok.status).toBe(201);
    expect(ok.headers['access-control-allow-origin']).toBe(allowed);
    expect(ok.headers.vary).toMatch(/\bOrigin\b/);
    const exposed = String(ok.headers['access-control-expose-headers']);
    for (const header of ['X-Correlation-ID', 'RateLimit', 'RateLimit-Policy', 'Retry-After']) {
      expect(exposed.split(', ')).toContain(header);
    }
    const unauthenticated = await request(app)
      .post(`${base}/conversation/start/`)
      .set('Origin', allowed)
      .send({});
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['access-control-allow-origin']).toBe(allowed);
    const foreign = await request(app).get(`${base}/health/quick/`).set('Origin', other);
    expect(foreign.status).toBe(200);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(foreign.headers['access-control-expose-headers']).toBeUndefined();
    expect(foreign.headers.vary).toMatch(/\bOrigin\b/);
  });

  it('answers a preflight 204 before authentication: with the grants for a listed origin only', async () => {
    const app = appWith(allowed);
    const pre = await preflight(app, allowed);
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(allowed);
    expect(pre.headers['access-control-allow-methods']).toBe('GET, POST, DELETE');
    const headers = String(pre.headers['access-control-allow-headers']).split(', ');
    expect(headers).toEqual(expect.arrayContaining(['Authorization', 'Content-Type']));
    expect(pre.headers['access-control-max-age']).toBe('600');
    const foreign = await preflight(app, other);
    expect(foreign.status).toBe(204);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(foreign.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('allows any origin only when `*` is listed', async () => {
    const app = appWith('*');
    const res = await request(app).get(`${base}/health/quick/`).set('Origin', other);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect((await preflight(app, other)).headers['access-control-allow-origin']).toBe('*');
  });

  it('refuses to start with something that is not an origin', () => {
    for (const value of ['https://app.example.com/', 'app.example.com', 'https://a.com/path']) {
      expect(() => loadConfig({ CORS_ALLOWED_ORIGINS: value })).toThrow(/CORS_ALLOWED_ORIGINS/);
    }
    expect(
      loadConfig({ CORS_ALLOWED_ORIGINS: 'http://localhost:5173' }).cors.allowedOrigins,
    ).toEqual(['http://localhost:5173']);
  });
});
