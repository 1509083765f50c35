import fc from 'fast-check';
import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { bearer, buildTestApp } from '../../support/apiHarness';
import { jsonValue, leaf, oddString } from '../../support/arbitraries/json';

const base = '/api/v1/onboarding';

/** Bodies near the documented shape (so many get past validation) and far from it. */
const checkpointBody = fc.oneof(
  jsonValue,
  fc.record(
    {
      checkpoint_data: fc.record(
        {
          version: fc.oneof(fc.integer(), leaf),
          state: fc.oneof(oddString, leaf),
          data: jsonValue,
        },
        { requiredKeys: [] },
      ),
      force: fc.oneof(fc.boolean(), leaf),
    },
    { requiredKeys: ['checkpoint_data'] },
  ),
);
/** A raw body nested n deep inside `data` (kept as text so a counterexample prints). */
const deepNest = fc
  .integer({ min: 30, max: 5000 })
  .map(
    (n) =>
      `{"checkpoint_data":{"version":1,"state":"x","data":{"a":${'['.repeat(n)}${']'.repeat(n)}}}}`,
  );

describe('fuzzing checkpoint, resume and history (fast-check)', () => {
  it('never answers 5xx, answers 4xx in the envelope, and a 4xx appends nothing', async () => {
    const store = createInMemoryEventStore();
    // Limits wide open: a 429 is recorded on the session (RateLimitHit), which is not what this
    // property is about.
    const wide = { points: 100_000, durationSeconds: 300 };
    const { app } = buildTestApp(store, {
      policies: {
        standard: { name: 'standard', ...wide },
        staff: { name: 'staff', ...wide },
        critical: { name: 'critical', ...wide },
      },
    });
    const auth = await bearer('service', 'tenant-a', 'svc-fuzz');
    const id = (
      await request(app)
        .post(`${base}/conversation/start/`)
        .set('Authorization', auth)
        .send({ user_id: 'fuzz' })
    ).body.conversation_id as string;
    const routes = ['checkpoint/', 'resume/'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(checkpointBody, deepNest),
        oddString,
        async (route, body, query) => {
          const before = (await store.readStream(`onboarding-${id}`)).version;
          const res = await request(app)
            .post(`${base}/sessions/${id}/${route}`)
            .set('Authorization', auth)
            .set('Content-Type', 'application/json')
            .send(typeof body === 'string' ? body : JSON.stringify(body));
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.body).toEqual(
              expect.objectContaining({
                error: expect.any(String),
                correlation_id: expect.any(String),
              }),
            );
            expect((await store.readStream(`onboarding-${id}`)).version).toBe(before);
          }
          const list = await request(app)
            .get(`${base}/sessions/${id}/checkpoints/?limit=${encodeURIComponent(query)}`)
            .set('Authorization', auth);
          expect(list.status).toBeLessThan(500);
        },
      ),
      { numRuns: 300, interruptAfterTimeLimit: 60_000 },
    );
  });
});
