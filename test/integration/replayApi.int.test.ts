import request from 'supertest';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { bearer, buildTestApp } from '../support/apiHarness';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { uniqueName } from '../support/uniqueName';

const base = '/api/v1/onboarding';
const canary = 'Canary-Replay-Answer-7';
let db: TestDatabase;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db.drop());

const step = 'information_collection';

/** A session of a few events, each a minute apart (the clock moves between requests). */
const setup = async () => {
  let now = Date.parse('2026-04-01T09:00:00.000Z');
  const harness = buildTestApp(createMessageDbEventStore({ sql: db.sql, groupCommit: false }), {
    sql: db.sql,
    clock: () => new Date(now),
  });
  const user = await bearer('user', 'tenant-a', uniqueName('u'));
  const session = (
    await request(harness.app)
      .post(`${base}/conversation/start/`)
      .set('Authorization', user)
      .send({})
  ).body.conversation_id as string;
  const activity = [
    { type: 'step_entered', step },
    { type: 'question_asked', step, question_id: 'q1' },
    { type: 'question_answered', step, question_id: 'q1', answer: canary },
    { type: 'step_completed', step },
  ];
  for (const event of activity) {
    now += 60_000;
    await request(harness.app)
      .post(`${base}/sessions/${session}/events/`)
      .set('Authorization', user)
      .send({ events: [event] })
      .expect(201);
  }
  const replay = async (query = '', auth = user) =>
    request(harness.app)
      .get(`${base}/dashboard/session-replay/${session}/${query}`)
      .set('Authorization', auth);
  return { session, user, replay };
};

describe('GET dashboard/session-replay/{id}/', () => {
  it('returns the stream as a timeline with personal fields masked, and audits the view', async () => {
    const api = await setup();
    const res = await api.replay();
    expect(res.status).toBe(200);
    expect((res.body.timeline as { event_type: string }[]).map((e) => e.event_type)).toEqual([
      'session_started',
      'step_entered',
      'question_asked',
      'question_answered',
      'step_completed',
    ]);
    expect(res.body.timeline[3].data).toMatchObject({
      answer: { masked: true },
      answer_length: canary.length,
    });
    expect(JSON.stringify(res.body)).not.toContain(canary);
    expect(res.body.session_summary).toMatchObject({
      current_state: 'active',
      total_events: 5,
      duration_minutes: 4,
    });
    const audits = await db.sql.query<{ action: string; target: string }>(
      `SELECT action, target FROM waymark.audit_log WHERE target = $1`,
      [api.session],
    );
    expect(audits).toEqual([{ action: 'session.replay_view', target: api.session }]);
  });

  it('travels in time with as_of, and pages with from_position and limit', async () => {
    const api = await setup();
    const past = await api.replay('?as_of=2026-04-01T09:02:30Z');
    expect(past.body.timeline).toHaveLength(3);
    expect(past.body.state_as_of).toMatchObject({ current_step: step, completed_steps: [] });
    expect(past.body.session_summary.total_events).toBe(3);
    const page = await api.replay('?limit=2&from_position=1');
    expect((page.body.timeline as { position: number }[]).map((e) => e.position)).toEqual([1, 2]);
    expect(page.body.next_position).toBe(3);
    expect((await api.replay('?as_of=yesterday')).status).toBe(400);
    expect((await api.replay('?limit=0')).status).toBe(400);
  });

  it('is for the owner and the tenant admins only', async () => {
    const api = await setup();
    const status = async (auth: string) => (await api.replay('', auth)).status;
    expect(await status(await bearer('admin', 'tenant-a'))).toBe(200);
    expect(await status(await bearer('superadmin', 'tenant-z'))).toBe(200);
    expect(await status(await bearer('service', 'tenant-a'))).toBe(403);
    expect(await status(await bearer('user', 'tenant-a', 'another'))).toBe(404);
    expect(await status(await bearer('admin', 'tenant-b'))).toBe(404);
  });
});
