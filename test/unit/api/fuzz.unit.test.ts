import fc from 'fast-check';
import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { bearer, buildTestApp } from '../../support/apiHarness';
import { edgeNumber, jsonValue, leaf, oddString } from '../../support/arbitraries/json';

const base = '/api/v1/onboarding';

const activity = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom(
        'step_entered',
        'step_completed',
        'question_asked',
        'question_answered',
        'error_occurred',
        'session_completed',
        'session_cancelled',
      ),
      oddString,
    ),
    step: fc.oneof(fc.constantFrom('approval', 'information_collection'), oddString, edgeNumber),
    question_id: fc.oneof(fc.constant('q1'), oddString),
    answer: oddString,
    answer_length: edgeNumber,
    category: fc.oneof(fc.constant('network'), oddString),
    code: oddString,
    retryable: fc.oneof(fc.boolean(), leaf),
    reason: oddString,
    __proto__: jsonValue,
    extra: jsonValue,
  },
  { requiredKeys: ['type'] },
);
const eventsBody = fc.oneof(
  fc.record(
    {
      events: fc.array(activity, { maxLength: 120 }),
      expected_version: fc.option(edgeNumber, { nil: undefined }),
    },
    { requiredKeys: ['events'] },
  ),
  jsonValue,
);

describe('fuzzing the write endpoints (fast-check)', () => {
  it('never answers 5xx, always in the envelope, and stores nothing on 4xx', async () => {
    const store = createInMemoryEventStore();
    const { app } = buildTestApp(store);
    const auth = await bearer('service', 'tenant-a', 'svc-fuzz');
    const id = (
      await request(app)
        .post(`${base}/conversation/start/`)
        .set('Authorization', auth)
        .send({ user_id: 'fuzz' })
    ).body.conversation_id as string;
    await fc.assert(
      fc.asyncProperty(eventsBody, async (body) => {
        const before = (await store.readStream(`onboarding-${id}`)).version;
        const res = await request(app)
          .post(`${base}/sessions/${id}/events/`)
          .set('Authorization', auth)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        expect(res.status).toBeLessThan(500);
        const after = (await store.readStream(`onboarding-${id}`)).version;
        if (res.status >= 400) {
          expect(res.body).toEqual(
            expect.objectContaining({
              error: expect.any(String),
              correlation_id: expect.any(String),
              field_errors: expect.any(Object),
            }),
          );
          expect(after).toBe(before);
        } else expect(after).toBe(res.body.version);
      }),
      { numRuns: 300, interruptAfterTimeLimit: 60_000 },
    );
  });

  it('start: arbitrary bodies never cause 5xx and never set fields a client may not set', async () => {
    const store = createInMemoryEventStore();
    const { app } = buildTestApp(store);
    await fc.assert(
      fc.asyncProperty(jsonValue, oddString, async (body, sub) => {
        const auth = await bearer(
          'service',
          'tenant-a',
          `svc-${Buffer.from(sub).toString('hex').slice(0, 40) || 'x'}`,
        );
        const res = await request(app)
          .post(`${base}/conversation/start/`)
          .set('Authorization', auth)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        expect(res.status).toBeLessThan(500);
        if (res.status === 201) {
          const { events } = await store.readStream(
            `onboarding-${res.body.conversation_id as string}`,
          );
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
        }
      }),
      { numRuns: 200, interruptAfterTimeLimit: 60_000 },
    );
  });
});
