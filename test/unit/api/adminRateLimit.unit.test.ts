import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { createPgliteSqlClient } from '../../../infra/postgres/pgliteSqlClient';
import { bearer, buildTestApp } from '../../support/apiHarness';

// PGlite (WebAssembly PostgreSQL) takes seconds to start on a busy 2-core machine.
jest.setTimeout(30_000);

describe('admin routes are rate limited too', () => {
  it('answers an admin route with the staff policy headers', async () => {
    const store = createInMemoryEventStore();
    const sql = await createPgliteSqlClient('memory://');
    const { app } = buildTestApp(store, { sql });
    const res = await request(app)
      .get('/api/v1/onboarding/admin/dlq/tasks/?status=bogus')
      .set('Authorization', await bearer('admin'));
    expect(res.status).toBe(400);
    expect(res.headers['ratelimit-policy']).toBe('"staff";q=500;w=300');
    await sql.close();
  });
});
