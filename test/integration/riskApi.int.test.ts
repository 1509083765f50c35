import request from 'supertest';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { saveRiskModel } from '../../infra/postgres/riskModelStore';
import { featureNames } from '../../services/risk/features';
import { bearer, buildTestApp } from '../support/apiHarness';
import { tickRisk } from '../support/liveProjection';
import { projectAll } from '../support/projectAll';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { uniqueName } from '../support/uniqueName';

const base = '/api/v1/onboarding';
const step = 'information_collection';
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

/** Sessions in one tenant (own database per test), a clock the test moves, projected on demand. */
const setup = async (tenant = uniqueName('t')) => {
  let now = Date.parse('2026-05-04T12:00:00.000Z');
  const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
  const { app } = buildTestApp(store, { sql: db.sql, clock: () => new Date(now) });
  const service = await bearer('service', tenant, 'svc');
  const admin = await bearer('admin', tenant, 'adm');
  const start = async (events: object[]) => {
    const id = (
      await request(app)
        .post(`${base}/conversation/start/`)
        .set('Authorization', service)
        .send({ user_id: uniqueName('u') })
    ).body.conversation_id as string;
    if (events.length > 0)
      await request(app)
        .post(`${base}/sessions/${id}/events/`)
        .set('Authorization', service)
        .send({ events })
        .expect(201);
    return id;
  };
  const get = (path: string, auth = admin) =>
    request(app).get(`${base}/${path}`).set('Authorization', auth);
  return {
    tenant,
    start,
    get,
    admin,
    service,
    project: () => projectAll(store, db.sql),
    append: (id: string, events: object[]) =>
      request(app)
        .post(`${base}/sessions/${id}/events/`)
        .set('Authorization', service)
        .send({ events })
        .expect(201),
    /** The risk tick at the test's clock (rows scored over a minute ago), pages of two. */
    tick: () => tickRisk(db.sql, now, { pageSize: 2 }),
    wait: (minutes: number) => (now += minutes * 60_000),
  };
};

const confused = [
  { type: 'step_entered', step },
  ...Array.from({ length: 5 }, () => ({ type: 'question_asked', step, question_id: 'q1' })),
  ...Array.from({ length: 6 }, () => ({ type: 'error_occurred', category: 'network', code: 'e' })),
];

describe('GET sessions/{id}/risk/ with no model trained', () => {
  it('scores with the documented rule table and answers the documented shape', async () => {
    const api = await setup();
    const id = await api.start(confused);
    api.wait(15);
    const res = await api.get(`sessions/${id}/risk/`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      session_id: id,
      scorer: 'rules',
      risk_score: 80,
      risk_level: 'critical',
      predicted_abandonment_probability: 0.8,
      current_stage: step,
      session_age_minutes: 15,
      intervention_recommendation: { priority: 'immediate' },
    });
    expect(res.body.risk_factors).toHaveLength(4);
  });
});

describe('GET admin/at-risk-sessions/', () => {
  it('lists active sessions of the tenant at or above the level, riskiest first', async () => {
    const api = await setup();
    const critical = await api.start(confused);
    const medium = await api.start([{ type: 'step_entered', step }]);
    api.wait(12);
    await api.start([]);
    const cancelled = await api.start([...confused, { type: 'session_cancelled' }]);
    const other = await setup();
    await other.start(confused);
    await api.project();
    api.wait(1);
    await api.tick();

    const res = await api.get('admin/at-risk-sessions/?risk_level=medium');
    expect(res.status).toBe(200);
    const ids = (res.body.sessions as { session_id: string }[]).map((s) => s.session_id);
    expect(ids).toEqual([critical, medium]);
    expect(res.body.total_at_risk).toBe(2);
    expect(res.body.sessions[0]).toMatchObject({
      risk_level: 'critical',
      intervention_priority: 'immediate',
    });
    const all = await api.get('admin/at-risk-sessions/?risk_level=low&limit=1');
    expect(all.body.total_at_risk).toBe(3);
    // Every active session of the tenant is a row of the read model; none is scored per request.
    expect(all.body.candidates_scored).toBe(3);
    expect(all.body.sessions).toHaveLength(1);
    expect(JSON.stringify(all.body)).not.toContain(cancelled);
    const realtime = await api.get('analytics/realtime/');
    expect(realtime.body).toMatchObject({
      // The documented list; Waymark's count is at_risk_count.
      at_risk_count: 1,
      at_risk_sessions: [{ session_id: critical, risk_level: 'critical', risk_score: 80 }],
      at_risk_top: [{ session_id: critical, risk_level: 'critical', risk_score: 80 }],
    });
    const overview = await api.get('dashboard/overview/');
    expect(overview.body.recovery).toMatchObject({ at_risk_count: 1 });
    expect((await api.get('admin/at-risk-sessions/?risk_level=extreme')).status).toBe(400);
    expect((await api.get('admin/at-risk-sessions/?limit=500')).status).toBe(400);
    expect((await api.get('admin/at-risk-sessions/', api.service)).status).toBe(403);
  });
});

describe('scoring with a trained model', () => {
  it('uses the active model: probability, level and factors come from its weights', async () => {
    const api = await setup();
    const weights = featureNames.map((n) => (n === 'idle_minutes' ? 2 : 0));
    const means = featureNames.map(() => 0);
    const scales = featureNames.map(() => 1);
    const version = await saveRiskModel(
      db.sql,
      {
        scope: api.tenant,
        algorithm: 'logistic_regression_l2',
        body: {
          featureNames,
          model: { means, scales, weights, intercept: -4 },
          threshold: 0.5,
          stepMedians: {},
          horizonMinutes: 15,
        },
        evaluation: {},
      },
      true,
    );
    const id = await api.start([{ type: 'step_entered', step }]);
    api.wait(Math.E ** 2 - 1); // log1p(idle) = 2 → logit = -4 + 2 × 2 = 0 → p = 0.5
    const res = await api.get(`sessions/${id}/risk/`);
    expect(res.body).toMatchObject({
      scorer: `model:v${version}`,
      predicted_abandonment_probability: 0.5,
      risk_score: 50,
      risk_level: 'high',
      risk_factors: [{ factor: 'idle_minutes', weight: 2, contribution: 4 }],
      intervention_recommendation: { type: 'proactive_reach_out' },
    });
  });

  it('refuses ended sessions with 409 and unknown ones with 404', async () => {
    const api = await setup();
    const id = await api.start([{ type: 'session_cancelled' }]);
    expect((await api.get(`sessions/${id}/risk/`)).status).toBe(409);
    expect((await api.get(`sessions/9a3c1f5e-4a59-4a40-9a57-8f7b0a6a0c11/risk/`)).status).toBe(404);
  });
});

describe('the risk read model and its tick', () => {
  it('the list reads the scores the projector and the tick wrote, not a score per request', async () => {
    const api = await setup();
    const idle = await api.start([{ type: 'step_entered', step }]);
    await api.project();
    api.wait(12);
    // Scored at its last event (idle 0), and nothing has scored it since: still low.
    const before = await api.get('admin/at-risk-sessions/?risk_level=low');
    expect(before.body).toMatchObject({
      total_at_risk: 1,
      candidates_scored: 1,
      sessions: [{ session_id: idle, risk_score: 0, risk_level: 'low', session_age_minutes: 12 }],
    });
    expect((await api.get('admin/at-risk-sessions/?risk_level=medium')).body.total_at_risk).toBe(0);
    // The tick scores it again at the clock: 12 idle minutes are > 600 s, +30 (medium).
    expect(await api.tick()).toMatchObject({ written: expect.any(Number) });
    const after = await api.get('admin/at-risk-sessions/?risk_level=medium');
    expect(after.body.sessions).toEqual([
      expect.objectContaining({ session_id: idle, risk_score: 30, risk_level: 'medium' }),
    ]);
    // The session's single row answers the live endpoint's score too.
    expect((await api.get(`sessions/${idle}/risk/`)).body.risk_score).toBe(30);
  });

  it('an event scores the session again at its time; an ended session leaves the table', async () => {
    const api = await setup();
    const id = await api.start([{ type: 'step_entered', step }]);
    await api.project();
    api.wait(12);
    await api.tick();
    const list = async () =>
      (await api.get('admin/at-risk-sessions/?risk_level=low')).body.sessions as {
        session_id: string;
        risk_score: number;
      }[];
    expect(await list()).toEqual([expect.objectContaining({ session_id: id, risk_score: 30 })]);
    await api.append(id, [{ type: 'question_asked', step, question_id: 'q1' }]);
    await api.project();
    expect(await list()).toEqual([expect.objectContaining({ session_id: id, risk_score: 0 })]);
    // Scored a moment ago: the next tick leaves it as it is.
    await api.tick();
    expect((await list())[0]?.risk_score).toBe(0);
    await api.append(id, [{ type: 'session_cancelled' }]);
    await api.project();
    expect(await list()).toEqual([]);
  });

  it('pages through every stale row, the longest ago first, and raises each as it idles', async () => {
    const api = await setup();
    const ids = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push(await api.start([{ type: 'step_entered', step }]));
      api.wait(1);
    }
    await api.project();
    api.wait(3); // idle 8, 7, 6, 5, 4 minutes: > 300 s +20, > 120 s +10
    const { read } = await api.tick();
    expect(read).toBeGreaterThanOrEqual(5);
    const res = await api.get('admin/at-risk-sessions/?risk_level=low');
    const scores = Object.fromEntries(
      (res.body.sessions as { session_id: string; risk_score: number }[]).map((s) => [
        s.session_id,
        s.risk_score,
      ]),
    );
    expect(ids.map((id) => scores[id])).toEqual([20, 20, 20, 10, 10]);
  });
});
