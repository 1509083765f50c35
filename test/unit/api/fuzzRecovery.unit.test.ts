import fc from 'fast-check';
import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { bearer, buildTestApp } from '../../support/apiHarness';
import { oddString } from '../../support/arbitraries/json';
import { createTally, mostlyValid } from '../../support/arbitraries/mutated';

const base = '/api/v1/onboarding';

/** Documented bodies (mostly valid, then changed), and raw bodies nested very deep. */
const checkpointBody = mostlyValid(
  fc.record(
    {
      checkpoint_data: fc.record({
        version: fc.nat({ max: 1_000_000 }),
        state: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,20}$/),
        data: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), {
          maxKeys: 4,
        }),
      }),
      force: fc.boolean(),
    },
    { requiredKeys: ['checkpoint_data'] },
  ),
);
const resumeBody = mostlyValid(
  fc.oneof(fc.constant({}), fc.record({ checkpoint_version: fc.constantFrom(null, 1) })),
);
/** A raw body nested n deep inside `data` (kept as text so a counterexample prints). */
const deepNest = fc
  .integer({ min: 30, max: 5000 })
  .map(
    (n) =>
      `{"checkpoint_data":{"version":1,"state":"x","data":{"a":${'['.repeat(n)}${']'.repeat(n)}}}}`,
  );
const listLimit = fc.oneof(fc.integer({ min: 1, max: 50 }).map(String), oddString);

describe('fuzzing checkpoint, resume and history (fast-check)', () => {
  it('never answers 5xx, answers 4xx in the envelope, a 4xx appends nothing, a 2xx what it says', async () => {
    const store = createInMemoryEventStore();
    // Limits wide open: a 429 is recorded on the session (RateLimitHit), which is not what this
    // property is about.
    const wide = { points: 100_000, durationSeconds: 300 };
    // An injected clock that moves ten minutes per request, so the checkpoint interval rule
    // passes unless the payload is unchanged, and the created path is reached.
    let now = Date.parse('2026-01-05T09:00:00Z');
    const clock = () => new Date((now += 600_000));
    const { app } = buildTestApp(store, {
      clock,
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
    // A first checkpoint, so that a resume has something to resume from.
    await request(app)
      .post(`${base}/sessions/${id}/checkpoint/`)
      .set('Authorization', auth)
      .send({ checkpoint_data: { version: 1, state: 'start', data: {} } })
      .expect(201);
    const tallies = { checkpoint: createTally('checkpoint'), resume: createTally('resume') };
    const list = createTally('checkpoints list');
    const cases = fc.oneof(
      fc.record({
        route: fc.constant('checkpoint' as const),
        body: checkpointBody.map((f) => f.body),
      }),
      fc.record({ route: fc.constant('checkpoint' as const), body: deepNest }),
      fc.record({ route: fc.constant('resume' as const), body: resumeBody.map((f) => f.body) }),
    );
    await fc.assert(
      fc.asyncProperty(cases, listLimit, async ({ route, body }, limit) => {
        const before = (await store.readStream(`onboarding-${id}`)).version;
        const res = await request(app)
          .post(`${base}/sessions/${id}/${route}/`)
          .set('Authorization', auth)
          .set('Content-Type', 'application/json')
          .send(typeof body === 'string' ? body : JSON.stringify(body));
        tallies[route].record(res.status, res.body?.error);
        expect(res.status).toBeLessThan(500);
        const after = (await store.readStream(`onboarding-${id}`)).version;
        if (res.status >= 400) {
          expect(res.body).toEqual(
            expect.objectContaining({
              error: expect.any(String),
              correlation_id: expect.any(String),
            }),
          );
          expect(after).toBe(before);
        } else if (route === 'resume') {
          // A resume records one SessionResumed.
          expect(res.status).toBe(200);
          expect(after).toBe(before + 1);
        } else {
          // A new checkpoint records one CheckpointSaved; an unchanged or too early one nothing.
          expect(after).toBe(res.status === 201 ? before + 1 : before);
          if (res.status === 201) expect(res.body.status).toBe('created');
          else expect(['unchanged', 'skipped']).toContain(res.body.status);
        }
        const listed = await request(app)
          .get(`${base}/sessions/${id}/checkpoints/?limit=${encodeURIComponent(limit)}`)
          .set('Authorization', auth);
        list.record(listed.status, listed.body?.error);
        expect(listed.status).toBeLessThan(500);
        if (listed.status === 200)
          expect(listed.body.checkpoints.length).toBeLessThanOrEqual(Number(limit));
        else expect(listed.status).toBe(400);
      }),
      { numRuns: 300 },
    );
    tallies.checkpoint.expectReached(0.2);
    tallies.resume.expectReached(0.3);
    list.expectReached(0.3);
  }, 180_000);
});
