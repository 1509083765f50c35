import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { bearer, buildTestApp } from '../../support/apiHarness';

const base = '/api/v1/onboarding';
const step = 'information_collection';

const setup = async () => {
  const store = createInMemoryEventStore();
  const harness = buildTestApp(store);
  const user = await bearer('user', 'tenant-a', 'alice');
  const start = async (auth = user, body: object = {}) =>
    request(harness.app).post(`${base}/conversation/start/`).set('Authorization', auth).send(body);
  const post = (id: string, body: object, auth = user) =>
    request(harness.app)
      .post(`${base}/sessions/${id}/events/`)
      .set('Authorization', auth)
      .send(body);
  const get = (id: string, auth = user) =>
    request(harness.app).get(`${base}/sessions/${id}/`).set('Authorization', auth);
  return { store, ...harness, user, start, post, get };
};

describe('POST conversation/start/', () => {
  it('starts a session (201), then answers 409 with the active one, or 200 when resuming', async () => {
    const api = await setup();
    const first = await api.start();
    expect(first.status).toBe(201);
    expect(first.body.conversation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.body.session.flow.steps).toEqual([
      'information_collection',
      'recommendation_review',
      'approval',
    ]);

    const again = await api.start();
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      error: 'active_session_exists',
      existing_session_id: first.body.conversation_id,
    });
    expect(again.body.correlation_id).toEqual(expect.any(String));

    const resumed = await api.start(api.user, { resume_existing: true });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      conversation_id: first.body.conversation_id,
      resumed: true,
    });
  });

  it('lets the user start anew once the previous session ended', async () => {
    const api = await setup();
    const first = await api.start();
    await api
      .post(first.body.conversation_id, { events: [{ type: 'session_cancelled' }] })
      .expect(201);
    const second = await api.start();
    expect(second.status).toBe(201);
    expect(second.body.conversation_id).not.toBe(first.body.conversation_id);
  });

  it('gives concurrent starts of one user a single session', async () => {
    const api = await setup();
    const results = await Promise.all(Array.from({ length: 5 }, () => api.start()));
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(4);
  });

  it('lets a service start for a named user, and refuses admins', async () => {
    const api = await setup();
    const service = await bearer('service', 'tenant-a', 'svc');
    expect((await api.start(service, {})).status).toBe(400);
    const ok = await api.start(service, { user_id: 'bob' });
    expect(ok.status).toBe(201);
    expect(ok.body.session.user_id).toBe('bob');
    expect((await api.start(await bearer('admin'), { user_id: 'bob' })).status).toBe(403);
  });

  it('rejects unknown fields, bad values and unknown flows with field errors', async () => {
    const api = await setup();
    const bad = await api.start(api.user, { language: 'english!!', is_admin: true });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.field_errors)).toEqual(expect.arrayContaining(['language']));
    expect((await api.start(api.user, { flow_id: 'nope' })).body.error).toBe('unknown_flow');
  });
});

describe('POST sessions/{id}/events/ and GET sessions/{id}/', () => {
  it('appends a batch, returns the version, and reads its own writes', async () => {
    const api = await setup();
    const id = (await api.start()).body.conversation_id as string;
    const res = await api.post(id, {
      events: [
        { type: 'step_entered', step },
        { type: 'question_asked', step, question_id: 'q1' },
        { type: 'question_answered', step, question_id: 'q1', answer: 'my secret answer' },
        { type: 'step_completed', step },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ session_id: id, version: 4, appended: 4 });
    const view = await api.get(id);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      version: 4,
      current_step: step,
      completed_steps: [step],
      counts: { questions_answered: 1 },
    });
    const { events } = await api.store.readStream(`onboarding-${id}`);
    expect(JSON.stringify(events)).not.toContain('my secret answer');
    expect(events.find((e) => e.type === 'QuestionAnswered')?.data).toMatchObject({
      answerLength: 16,
    });
  });

  it('answers 409 with the current version when expected_version is stale', async () => {
    const api = await setup();
    const id = (await api.start()).body.conversation_id as string;
    const res = await api.post(id, {
      expected_version: 7,
      events: [{ type: 'step_entered', step }],
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'wrong_expected_version', current_version: 0 });
    expect(
      (await api.post(id, { expected_version: 0, events: [{ type: 'step_entered', step }] }))
        .status,
    ).toBe(201);
  });

  it('rejects steps outside the flow and activity after the end, changing nothing', async () => {
    const api = await setup();
    const id = (await api.start()).body.conversation_id as string;
    const bad = await api.post(id, {
      events: [
        { type: 'step_entered', step },
        { type: 'step_entered', step: 'payment' },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toBe('unknown_step');
    expect((await api.get(id)).body.version).toBe(0);
    await api.post(id, { events: [{ type: 'session_cancelled' }] }).expect(201);
    const after = await api.post(id, { events: [{ type: 'step_entered', step }] });
    expect(after.status).toBe(409);
    expect(after.body.error).toBe('session_ended');
  });

  it('validates bodies and ids in the error envelope', async () => {
    const api = await setup();
    const id = (await api.start()).body.conversation_id as string;
    const cases: [object, number][] = [
      [{ events: [] }, 400],
      [{ events: [{ type: 'session_abandoned' }] }, 400],
      [{ events: [{ type: 'step_entered', step, extra: 1 }] }, 400],
      [
        {
          events: [
            { type: 'question_answered', step, question_id: 'q', answer: 'a', answer_length: 1 },
          ],
        },
        400,
      ],
      [{ events: Array.from({ length: 101 }, () => ({ type: 'step_entered', step })) }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await api.post(id, body);
      expect(res.status).toBe(status);
      expect(res.body).toEqual(
        expect.objectContaining({
          error: 'validation_error',
          correlation_id: expect.any(String),
          field_errors: expect.any(Object),
        }),
      );
    }
    expect((await api.post('not-a-uuid', { events: [{ type: 'session_completed' }] })).status).toBe(
      400,
    );
    expect((await api.get('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await api.get(id)).body.version).toBe(0);
  });

  it('keeps users to their own sessions and tenants apart; admins read but do not write', async () => {
    const api = await setup();
    const id = (await api.start()).body.conversation_id as string;
    expect((await api.get(id, await bearer('user', 'tenant-a', 'mallory'))).status).toBe(404);
    expect((await api.get(id, await bearer('admin', 'tenant-b'))).status).toBe(404);
    expect((await api.get(id, await bearer('admin', 'tenant-a'))).status).toBe(200);
    expect((await api.get(id, await bearer('superadmin', 'tenant-z'))).status).toBe(200);
    expect(
      (await api.post(id, { events: [{ type: 'step_entered', step }] }, await bearer('admin')))
        .status,
    ).toBe(403);
    expect(
      (await api.post(id, { events: [{ type: 'step_entered', step }] }, await bearer('service')))
        .status,
    ).toBe(201);
    expect(
      (
        await api.post(
          id,
          { events: [{ type: 'step_entered', step }] },
          await bearer('service', 'tenant-b'),
        )
      ).status,
    ).toBe(404);
  });
});
