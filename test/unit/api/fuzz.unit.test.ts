import fc from 'fast-check';
import request from 'supertest';
import { defaultFlow } from '../../../events/onboarding/flows';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { bearer, buildTestApp } from '../../support/apiHarness';
import { createTally, mostlyValid } from '../../support/arbitraries/mutated';

const base = '/api/v1/onboarding';
const steps = defaultFlow.steps;
const slug = fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/);
const externalId = fc.stringMatching(/^[A-Za-z0-9._:@-]{1,40}$/);

type Activity = Readonly<Record<string, unknown> & { type: string }>;

/** What happens inside one step: questions asked and answered, errors, in any order. */
const inStep = (step: string): fc.Arbitrary<Activity[]> =>
  fc.array(
    fc.oneof(
      externalId.map((id) => ({ type: 'question_asked', step, question_id: id })),
      fc
        .tuple(externalId, fc.oneof(fc.nat({ max: 1_000_000 }), fc.string({ maxLength: 200 })))
        .map(([id, answer]) =>
          typeof answer === 'number'
            ? { type: 'question_answered', step, question_id: id, answer_length: answer }
            : { type: 'question_answered', step, question_id: id, answer },
        ),
      fc
        .record(
          {
            step: fc.constantFrom(step, null),
            category: fc.constantFrom('validation', 'network', 'database', 'llm_api', 'other'),
            code: externalId,
            retryable: fc.boolean(),
          },
          { requiredKeys: ['category', 'code'] },
        )
        .map((e) => ({ type: 'error_occurred', ...e })),
    ),
    { maxLength: 4 },
  );

/**
 * A valid walk through the default flow: a prefix of its steps, each entered, worked in and
 * (except perhaps the last) completed; when every step is done, maybe a completion. Sometimes a
 * cancellation instead of the end. Every activity of a walk is accepted by the decider.
 */
const walk: fc.Arbitrary<Activity[]> = fc
  .tuple(
    fc.integer({ min: 1, max: steps.length }),
    fc.boolean(),
    fc.constantFrom('end', 'complete', 'cancel'),
    fc.array(inStep('x'), { minLength: steps.length, maxLength: steps.length }),
    slug,
  )
  .map(([reached, completeLast, ending, bodies, reason]) => {
    const out: Activity[] = [];
    steps.slice(0, reached).forEach((step, i) => {
      out.push({ type: 'step_entered', step });
      for (const a of bodies[i] ?? [])
        out.push({ ...a, ...('step' in a && a.step ? { step } : {}) });
      if (i < reached - 1 || completeLast) out.push({ type: 'step_completed', step });
    });
    const allDone = reached === steps.length && completeLast;
    if (ending === 'complete' && allDone) out.push({ type: 'session_completed' });
    if (ending === 'cancel') out.push({ type: 'session_cancelled', reason });
    return out;
  });

/** The event type each client activity is recorded as. */
const recordedAs: Readonly<Record<string, string>> = {
  step_entered: 'StepEntered',
  step_completed: 'StepCompleted',
  question_asked: 'QuestionAsked',
  question_answered: 'QuestionAnswered',
  error_occurred: 'ErrorOccurred',
  session_completed: 'SessionCompleted',
  session_cancelled: 'SessionCancelled',
};

/** Well formed, but in an order the decider refuses (a step completed before it is entered). */
const reordered = walk.chain((events) =>
  fc
    .shuffledSubarray(events, { minLength: events.length, maxLength: events.length })
    .map((shuffled) => ({ body: { events: shuffled }, mutated: true })),
);

const eventsBody = fc.oneof(
  { arbitrary: mostlyValid(walk.map((events) => ({ events }))), weight: 4 },
  { arbitrary: reordered, weight: 1 },
);

const startBody = mostlyValid(
  fc.record(
    {
      language: fc.constantFrom('en', 'pt-BR', 'de', 'fra'),
      user_type: slug,
      channel: slug,
      client_context: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 3,
      }),
      initial_input: fc.string({ maxLength: 100 }),
      resume_existing: fc.boolean(),
      flow_id: fc.constant('default'),
    },
    { requiredKeys: [] },
  ),
);

// Limits wide open: a 429 is recorded on the session (RateLimitHit), which is not what these
// properties are about (test/unit/api/rateLimit.unit.test.ts is).
const wide = { points: 1e9, durationSeconds: 60 };
const policies = {
  standard: { name: 'standard', ...wide },
  staff: { name: 'staff', ...wide },
  critical: { name: 'critical', ...wide },
};

const envelope = expect.objectContaining({
  error: expect.any(String),
  correlation_id: expect.any(String),
  field_errors: expect.any(Object),
});

describe('fuzzing the write endpoints (fast-check)', () => {
  it('events: never 5xx; a 4xx is an envelope and stores nothing; a 2xx stores one event per activity', async () => {
    const store = createInMemoryEventStore();
    const { app } = buildTestApp(store, { policies });
    const auth = await bearer('service', 'tenant-a', 'svc-fuzz');
    const tally = createTally('events');
    let user = 0;
    await fc.assert(
      fc.asyncProperty(eventsBody, async ({ body, mutated }) => {
        user += 1;
        const started = await request(app)
          .post(`${base}/conversation/start/`)
          .set('Authorization', auth)
          .send({ user_id: `fuzz-${user}` })
          .expect(201);
        const stream = `onboarding-${started.body.conversation_id as string}`;
        const before = await store.readStream(stream);
        const res = await request(app)
          .post(`${base}/sessions/${started.body.conversation_id as string}/events/`)
          .set('Authorization', auth)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        tally.record(res.status, res.body?.error);
        expect(res.status).toBeLessThan(500);
        // An unchanged walk is valid for the API and for the decider: it must get through.
        if (!mutated) expect(res.status).toBe(201);
        const after = await store.readStream(stream);
        if (res.status >= 400) {
          expect(res.body).toEqual(envelope);
          expect(after.version).toBe(before.version);
        } else {
          const sent = (body as { events: Activity[] }).events;
          expect(after.version).toBe(res.body.version);
          expect(after.events.slice(before.events.length).map((e) => e.type)).toEqual(
            sent.map((a) => recordedAs[a.type]),
          );
          // A stored event carries its session's tenant, whatever the client sent.
          expect(new Set(after.events.map((e) => e.metadata.tenantId))).toEqual(
            new Set(['tenant-a']),
          );
        }
      }),
      { numRuns: 300 },
    );
    tally.expectReached(0.4);
    // Reordered walks are well formed but break rules only the decider knows.
    expect(tally.errors.get('illegal_state') ?? 0).toBeGreaterThan(0);
  }, 180_000);

  it('start: never 5xx and never sets fields a client may not set', async () => {
    const store = createInMemoryEventStore();
    const { app } = buildTestApp(store, { policies });
    const auth = await bearer('service', 'tenant-a', 'svc-fuzz');
    const tally = createTally('start');
    let user = 0;
    let created = 0;
    await fc.assert(
      fc.asyncProperty(startBody, async ({ body, mutated }) => {
        user += 1;
        // A service must name the user; the fuzzer's change may remove or spoil it.
        const withUser =
          typeof body === 'object' && body !== null && !Array.isArray(body)
            ? { user_id: `fuzz-${user}`, ...body }
            : body;
        const res = await request(app)
          .post(`${base}/conversation/start/`)
          .set('Authorization', auth)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(withUser));
        tally.record(res.status, res.body?.error);
        expect(res.status).toBeLessThan(500);
        if (!mutated) expect(res.status).toBe(201);
        const started = await store.readCategory('onboarding', 0, 1_000_000);
        if (res.status >= 400) {
          expect(res.body).toEqual(envelope);
          expect(started).toHaveLength(created);
          return;
        }
        // Each user is new, so every success is a new session (never a resume or a 409).
        expect(res.status).toBe(201);
        created += 1;
        expect(started).toHaveLength(created);
        const { events } = await store.readStream(
          `onboarding-${res.body.conversation_id as string}`,
        );
        expect(events).toHaveLength(1);
        expect(events[0]?.metadata.tenantId).toBe('tenant-a');
        expect(Object.keys(events[0]?.data as object).sort()).toEqual([
          'at',
          'channel',
          'clientId',
          'flowId',
          'flowVersion',
          'language',
          'sessionId',
          'steps',
          'tenantId',
          'userId',
          'userType',
        ]);
        expect(events[0]?.data).toMatchObject({ tenantId: 'tenant-a', flowId: 'default' });
      }),
      { numRuns: 200 },
    );
    tally.expectReached(0.4);
  }, 180_000);
});
