import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { createPgliteSqlClient } from '../../../infra/postgres/pgliteSqlClient';
import { createMemoryRateLimiter } from '../../../infra/rateLimit/memoryRateLimiter';
import type { RateLimiter } from '../../../infra/rateLimit/rateLimiter';
import { bearer, buildTestApp } from '../../support/apiHarness';

// PGlite (WebAssembly PostgreSQL) takes seconds to start on a busy 2-core machine.
jest.setTimeout(60_000);

/** The memory limiter, with every decision recorded as `policy key`. */
const countingLimiter = () => {
  const inner = createMemoryRateLimiter('counting');
  const decisions: string[] = [];
  const limiter: RateLimiter = {
    consume: (key, policy, critical) => {
      decisions.push(`${policy.name} ${key}`);
      return inner.consume(key, policy, critical);
    },
    breakerState: () => inner.breakerState(),
  };
  return { limiter, decisions };
};

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

  it('charges a DLQ or dashboard request exactly one unit of its own policy, and a 404 nothing', async () => {
    const { limiter, decisions } = countingLimiter();
    // The default database of the harness: migrated in-memory PGlite.
    const { app } = buildTestApp(createInMemoryEventStore(), { limiter });
    const admin = await bearer('admin', 'tenant-a', 'adm');
    const dlq = await request(app)
      .get('/api/v1/onboarding/admin/dlq/stats/')
      .set('Authorization', admin);
    expect(dlq.status).toBe(200);
    expect(decisions).toEqual(['staff tenant-a:#adm:admin']);
    expect(dlq.headers['x-ratelimit-remaining']).toBe('499');
    decisions.length = 0;
    const dashboard = await request(app)
      .get('/api/v1/onboarding/dashboard/overview/')
      .set('Authorization', admin);
    expect(dashboard.status).toBe(200);
    expect(decisions).toEqual(['staff tenant-a:#adm:analytics']);
    expect(dashboard.headers['x-ratelimit-remaining']).toBe('499');
    decisions.length = 0;
    const privacy = await request(app)
      .get('/api/v1/onboarding/admin/audit/')
      .set('Authorization', admin);
    expect(privacy.status).toBe(200);
    expect(decisions).toEqual(['staff tenant-a:#adm:admin']);
    expect(privacy.headers['x-ratelimit-remaining']).toBe('498');
    decisions.length = 0;
    const missing = await request(app)
      .get('/api/v1/onboarding/admin/nothing-here/')
      .set('Authorization', admin);
    expect(missing.status).toBe(404);
    expect(missing.headers['ratelimit-policy']).toBeUndefined();
    expect(decisions).toEqual([]);
  });
});
