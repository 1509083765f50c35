import fc from 'fast-check';
import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { createPgliteSqlClient } from '../../../infra/postgres/pgliteSqlClient';
import { fieldNestedBeyond } from '../../../services/api/middleware/jsonDepth';
import { bearer, buildTestApp } from '../../support/apiHarness';

const base = '/api/v1/onboarding';
const levels = 100_000;
// PGlite (WebAssembly PostgreSQL) takes seconds to start on a busy 2-core machine.
jest.setTimeout(120_000);

/** `{"field": <n levels of objects or arrays>}` as text (JSON.stringify of it would recurse). */
const nested = (field: string, n: number, kind: 'object' | 'array'): string =>
  kind === 'array'
    ? `{"${field}":${'['.repeat(n)}${']'.repeat(n)}}`
    : `{"${field}":${'{"a":'.repeat(n - 1)}{}${'}'.repeat(n - 1)}}`;

const send = (app: Parameters<typeof request>[0], method: string, url: string) => {
  const agent = request(app);
  return method === 'get'
    ? agent.get(url)
    : method === 'delete'
      ? agent.delete(url)
      : agent.post(url);
};

const wide = { points: 1_000_000, durationSeconds: 300 };
const policies = {
  standard: { name: 'standard', ...wide },
  staff: { name: 'staff', ...wide },
  critical: { name: 'critical', ...wide },
};

describe('the JSON depth limit (BODY_MAX_DEPTH, default 64)', () => {
  it('finds the first field nested beyond the limit without recursion', () => {
    expect(fieldNestedBeyond({ a: 1, b: [[{}]] }, 4)).toBeNull();
    expect(fieldNestedBeyond({ a: 1, b: [[[{}]]] }, 4)).toBe('b');
    expect(fieldNestedBeyond(JSON.parse(nested('deep', levels, 'array')), 64)).toBe('deep');
    expect(fieldNestedBeyond('text', 1)).toBeNull();
  });

  it(`answers 400 naming the field for ${levels} levels of objects and of arrays on every JSON route, and stores nothing`, async () => {
    const store = createInMemoryEventStore();
    const sql = await createPgliteSqlClient('memory://');
    const { app } = buildTestApp(store, { sql, bodyLimitBytes: 4 * 1024 * 1024, policies });
    const service = await bearer('service', 'tenant-a', 'svc');
    const admin = await bearer('admin', 'tenant-a', 'adm');
    const started = await request(app)
      .post(`${base}/conversation/start/`)
      .set('Authorization', service)
      .send({ user_id: 'deep' });
    const id = started.body.conversation_id as string;
    const routes: [string, string, string, string][] = [
      ['post', '/conversation/start/', 'client_context', service],
      ['post', `/sessions/${id}/events/`, 'events', service],
      ['post', `/sessions/${id}/checkpoint/`, 'checkpoint_data', service],
      ['post', `/sessions/${id}/resume/`, 'checkpoint_version', service],
      ['post', '/admin/dlq/tasks/dlq_1/retry/', 'override_kwargs', admin],
      ['post', '/admin/dlq/tasks/retry/', 'status', admin],
      ['delete', '/admin/dlq/clear/', 'status', admin],
      ['post', '/admin/subjects/deep/erase/', 'reason', admin],
    ];
    const before = (await store.readStream(`onboarding-${id}`)).version;
    for (const [method, path, field, auth] of routes) {
      for (const kind of ['object', 'array'] as const) {
        const res = await send(app, method, `${base}${path}`)
          .set('Authorization', auth)
          .set('Content-Type', 'application/json')
          .send(nested(field, levels, kind));
        expect({ path, kind, status: res.status }).toEqual({ path, kind, status: 400 });
        expect(res.body).toEqual({
          error: 'validation_error',
          detail: 'the request is not valid',
          field_errors: { [field]: ['nested deeper than 64 levels'] },
          correlation_id: expect.any(String),
        });
      }
    }
    expect((await store.readStream(`onboarding-${id}`)).version).toBe(before);
    // At the limit the depth guard lets the body through to the route's own validation.
    const atLimit = await request(app)
      .post(`${base}/conversation/start/`)
      .set('Authorization', service)
      .set('Content-Type', 'application/json')
      .send(nested('client_context', 63, 'array'));
    expect(atLimit.status).toBe(400);
    expect(Object.keys(atLimit.body.field_errors as object)).toEqual(['client_context']);
    expect(atLimit.body.field_errors.client_context).not.toContain('nested deeper than 64 levels');
    await sql.close();
  });

  it('compares session ids in canonical lower case', async () => {
    const { app } = buildTestApp(createInMemoryEventStore());
    const auth = await bearer('user', 'tenant-a', 'alice');
    const id = (
      await request(app).post(`${base}/conversation/start/`).set('Authorization', auth).send({})
    ).body.conversation_id as string;
    const upper = await request(app)
      .get(`${base}/sessions/${id.toUpperCase()}/`)
      .set('Authorization', auth);
    expect(upper.status).toBe(200);
    expect(upper.body.session_id).toBe(id);
    const appended = await request(app)
      .post(`${base}/sessions/${id.toUpperCase()}/events/`)
      .set('Authorization', auth)
      .send({ events: [{ type: 'step_entered', step: 'information_collection' }] });
    expect(appended.status).toBe(201);
    expect(appended.body.session_id).toBe(id);
  });
});

/** Every route with a path parameter, fuzzed: never a 5xx, always the envelope on a 4xx. */
describe('fuzzing every path parameter (fast-check)', () => {
  it('never answers 5xx', async () => {
    const sql = await createPgliteSqlClient('memory://');
    const { app } = buildTestApp(createInMemoryEventStore(), { sql, policies });
    const admin = await bearer('admin', 'tenant-a', 'adm');
    const routes: [string, (p: string) => string][] = [
      ['get', (p) => `/sessions/${p}/`],
      ['post', (p) => `/sessions/${p}/events/`],
      ['post', (p) => `/sessions/${p}/checkpoint/`],
      ['post', (p) => `/sessions/${p}/resume/`],
      ['get', (p) => `/sessions/${p}/checkpoints/`],
      ['get', (p) => `/sessions/${p}/risk/`],
      ['post', (p) => `/sessions/${p}/uploads/`],
      ['get', (p) => `/sessions/${p}/export/`],
      ['post', (p) => `/site-audit/${p}/observation/`],
      ['get', (p) => `/dashboard/session-replay/${p}/`],
      ['get', (p) => `/admin/dlq/tasks/${p}/`],
      ['post', (p) => `/admin/dlq/tasks/${p}/retry/`],
      ['delete', (p) => `/admin/dlq/tasks/${p}/delete/`],
      ['post', (p) => `/admin/subjects/${p}/erase/`],
    ];
    const param = fc.oneof(
      fc.uuid().map((u) => u.toUpperCase()),
      fc.uuid(),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.constantFrom('..', '%', '%00', '__proto__', 'a'.repeat(2000), "' OR 1=1 --", '\u202e'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), param, async ([method, path], p) => {
        const res = await send(app, method, `${base}${path(encodeURIComponent(p))}`)
          .set('Authorization', admin)
          .send({});
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.body.correlation_id).toEqual(expect.any(String));
      }),
      { numRuns: 300 },
    );
    await sql.close();
  });
});
