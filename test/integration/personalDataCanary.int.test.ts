import request from 'supertest';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { bearer, buildTestApp } from '../support/apiHarness';
import { pdf } from '../support/builders/uploads';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const base = '/api/v1/onboarding';
const canaries = {
  email: 'jane.canary@example.com',
  phone: '+44 7700 900461',
  name: 'Janet Canaryworth',
  answer: 'my mother was born in Canaryville',
};

/**
 * A tour of every endpoint with personal data planted in every field a client can send (bodies,
 * query strings, headers), valid and invalid: no log line and no error body may contain it.
 */
describe('personal data never reaches logs or error bodies', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('holds across sessions, validation failures and the admin API', async () => {
    const store = createInMemoryEventStore();
    const { app, logLines } = buildTestApp(store, {
      sql: db.sql,
    });
    const user = await bearer('user', 'tenant-a', 'canary-user');
    const admin = await bearer('admin', 'tenant-a');
    const token = user.slice('Bearer '.length);
    const all = Object.values(canaries).join(' ');
    const errorBodies: string[] = [];
    const send = async (req: request.Test) => {
      const res = await req
        .set('X-Correlation-ID', canaries.email)
        .set('X-User-Email', canaries.email);
      if (res.status >= 400) errorBodies.push(JSON.stringify(res.body));
      return res;
    };

    const start = await send(
      request(app)
        .post(`${base}/conversation/start/`)
        .set('Authorization', user)
        .send({
          initial_input: all,
          client_context: { email: canaries.email, name: canaries.name, client_id: 'acme' },
        }),
    );
    const id = start.body.conversation_id as string;
    await send(
      request(app)
        .post(`${base}/sessions/${id}/events/`)
        .set('Authorization', user)
        .send({
          events: [
            {
              type: 'question_answered',
              step: 'approval',
              question_id: 'q',
              answer: canaries.answer,
            },
          ],
        }),
    );
    await send(
      request(app)
        .post(`${base}/sessions/${id}/events/`)
        .set('Authorization', user)
        .send({
          events: [
            {
              type: 'question_answered',
              step: canaries.name,
              question_id: canaries.email,
              answer: all,
            },
          ],
        }),
    );
    await send(
      request(app)
        .post(`${base}/sessions/${id}/events/`)
        .set('Authorization', user)
        .send({ events: [{ type: 'step_entered', step: 'approval', note: all }] }),
    );
    await send(
      request(app)
        .post(`${base}/conversation/start/`)
        .set('Authorization', user)
        .send({ language: canaries.phone, user_id: canaries.email }),
    );
    await send(
      request(app)
        .post(`${base}/conversation/start/`)
        .set('Authorization', user)
        .set('Content-Type', 'application/json')
        .send(`{"initial_input": "${canaries.answer}`),
    );
    await send(
      request(app)
        .get(`${base}/sessions/${encodeURIComponent(canaries.email)}/`)
        .set('Authorization', user),
    );
    await send(
      request(app)
        .get(
          `${base}/admin/dlq/tasks/?correlation_id=${encodeURIComponent(canaries.phone)}&session_id=${encodeURIComponent(canaries.email)}`,
        )
        .set('Authorization', admin),
    );
    await send(
      request(app)
        .delete(`${base}/admin/dlq/clear/`)
        .set('Authorization', admin)
        .send({ category: canaries.name }),
    );
    await send(
      request(app).get(`${base}/sessions/${id}/`).set('Authorization', `Bearer ${token}x`),
    );
    for (const [lat, text] of [
      ['51.5', all],
      [canaries.phone, canaries.answer],
    ] as const) {
      await send(
        request(app)
          .post(`${base}/site-audit/${id}/observation/`)
          .set('Authorization', user)
          .field('gps_latitude', lat)
          .field('gps_longitude', '-0.12')
          .field('text_input', text)
          .field('zone_hint', canaries.name)
          .attach('photo', Buffer.from(all), {
            filename: `${canaries.name}.jpg`,
            contentType: 'image/jpeg',
          }),
      );
    }
    await send(
      request(app)
        .post(`${base}/sessions/${id}/uploads/`)
        .set('Authorization', user)
        .field('label', canaries.email)
        .attach('file', pdf(), {
          filename: `${canaries.email}.pdf`,
          contentType: 'application/pdf',
        }),
    );

    // Checkpoints (valid and invalid), resume with an odd version, replay with an odd as_of.
    for (const body of [
      { checkpoint_data: { version: 1, state: 'address', data: { draft: all } } },
      { checkpoint_data: { version: 1, state: canaries.name, data: { draft: all } } },
      { checkpoint_data: { version: canaries.phone, state: 'x', data: all } },
    ]) {
      await send(
        request(app)
          .post(`${base}/sessions/${id}/checkpoint/`)
          .set('Authorization', user)
          .send(body),
      );
    }
    await send(
      request(app)
        .post(`${base}/sessions/${id}/resume/`)
        .set('Authorization', user)
        .send({ checkpoint_version: canaries.email }),
    );
    await send(
      request(app)
        .get(`${base}/dashboard/session-replay/${id}/?as_of=${encodeURIComponent(canaries.name)}`)
        .set('Authorization', admin),
    );
    const replay = await request(app)
      .get(`${base}/dashboard/session-replay/${id}/`)
      .set('Authorization', admin);
    expect(replay.status).toBe(200);
    expect(JSON.stringify(replay.body)).not.toContain(canaries.answer);

    expect(logLines.length).toBeGreaterThan(5);
    expect(errorBodies.length).toBeGreaterThan(5);
    const haystack = [...logLines, ...errorBodies].join('\n');
    for (const value of [...Object.values(canaries), token]) expect(haystack).not.toContain(value);
  });
});
