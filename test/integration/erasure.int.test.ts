import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';
import request from 'supertest';
import type { Sealed } from '../../events/sealed';
import { insertDeadLetters } from '../../infra/postgres/dlqStore';
import { createFieldCipher } from '../../infra/privacy/fieldCipher';
import { createPgKeyStore } from '../../infra/privacy/pgKeyStore';
import { createRedis, redisReady } from '../../infra/redis/createRedis';
import { createPgSnapshotStore } from '../../infra/snapshots/pgSnapshotStore';
import { createRedisSnapshotStore } from '../../infra/snapshots/redisSnapshotStore';
import { createRedisUploadQuota } from '../../infra/uploads/redisUploadQuota';
import { bearer, buildTestApp, testUploadLimits } from '../support/apiHarness';
import { deadLetterRow } from '../support/builders/deadLetters';
import { png } from '../support/builders/uploads';
import { createInProcessRelay } from '../support/inProcessRelay';
import { readTopic } from '../support/kafkaTopic';
import { projectAll } from '../support/projectAll';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

const base = '/api/v1/onboarding';
const tag = randomUUID().slice(0, 8);
const planted = {
  answer: `my first pet was called Canary-${tag}`,
  observation: `the gas meter of Jane Canary-${tag} is behind the shed`,
  latitude: '51.4812345',
  document: `PASSPORT-${tag}`,
  checkpoint: `half-typed address: 7 Canary Row ${tag}`,
};

/** Every text of every Redis key (any type): the shared test Redis, scanned whole. */
const redisTexts = async (redis: Redis): Promise<string> => {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'zset'
              ? await redis.zrange(key, 0, -1, 'WITHSCORES')
              : type === 'set'
                ? await redis.smembers(key)
                : type === 'list'
                  ? await redis.lrange(key, 0, -1)
                  : null;
      out.push(key, JSON.stringify(value));
    }
  } while (cursor !== '0');
  return out.join('\n');
};

const filesUnder = async (dir: string): Promise<string> => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return (await Promise.all(files.map((f) => readFile(f, 'latin1')))).join('\n');
};

describe('erasure by crypto-shredding', () => {
  let db: TestDatabase;
  const clients: Redis[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await db.drop();
  });

  it('erases a subject: no store, topic, table, key, file or log holds their data; counts stay', async () => {
    const { store, topic, relay, close } = await createInProcessRelay(db, 500);
    const redis = createRedis(testEnv.redisUrl, 1_000);
    clients.push(redis);
    await redisReady(redis, 2_000);
    const keys = createPgKeyStore(db.sql, randomBytes(32), 0);
    const { app, logLines, storageDir } = buildTestApp(store, {
      keys,
      sql: db.sql,

      uploadQuota: createRedisUploadQuota(redis, {
        keyPrefix: uniqueName('uq'),
        limits: testUploadLimits,
        keepSeconds: 600,
      }),
      snapshotTiers: [
        { name: 'redis', store: createRedisSnapshotStore(redis, 600) },
        { name: 'postgresql', store: createPgSnapshotStore(db.sql) },
      ],
    });
    const erin = await bearer('user', 'tenant-a', `erin-${tag}`);
    const admin = await bearer('admin', 'tenant-a', 'dpo');
    const id = (
      await request(app).post(`${base}/conversation/start/`).set('Authorization', erin).send({})
    ).body.conversation_id as string;
    const answered = await request(app)
      .post(`${base}/sessions/${id}/events/`)
      .set('Authorization', erin)
      .send({
        events: [
          { type: 'step_entered', step: 'information_collection' },
          {
            type: 'question_answered',
            step: 'information_collection',
            question_id: 'q1',
            answer: planted.answer,
          },
        ],
      });
    expect(answered.status).toBe(201);
    const observed = await request(app)
      .post(`${base}/site-audit/${id}/observation/`)
      .set('Authorization', erin)
      .field('gps_latitude', planted.latitude)
      .field('gps_longitude', '-0.1')
      .field('text_input', planted.observation)
      .attach('photo', await png(), { filename: 'p.png', contentType: 'image/png' });
    expect(observed.status).toBe(201);
    const doc = Buffer.from(`%PDF-1.4\n${planted.document}\n%%EOF\n`);
    expect(
      (
        await request(app)
          .post(`${base}/sessions/${id}/uploads/`)
          .set('Authorization', erin)
          .attach('file', doc, { filename: 'd.pdf', contentType: 'application/pdf' })
      ).status,
    ).toBe(201);

    const checkpointed = await request(app)
      .post(`${base}/sessions/${id}/checkpoint/`)
      .set('Authorization', erin)
      .send({
        checkpoint_data: { version: 1, state: 'address', data: { draft: planted.checkpoint } },
      });
    expect(checkpointed.body.storage).toMatchObject({ redis: true, postgresql: true });

    // Before: the person (and admins) can read it back; no store holds it in clear.
    const before = await request(app)
      .get(`${base}/sessions/${id}/export/`)
      .set('Authorization', erin);
    expect(JSON.stringify(before.body)).toContain(planted.answer);
    expect(JSON.stringify(before.body)).toContain(planted.observation);
    expect(JSON.stringify(before.body)).toContain(planted.checkpoint);

    while ((await relay.relayOnce('onboarding')) > 0);
    await close();
    await projectAll(store, db.sql);
    const kafkaBefore = await readTopic(topic);
    const answerValue = kafkaBefore.find(
      (m) => m.headers['event-type'] === 'QuestionAnswered',
    )?.value;
    await db.sql.transaction((tx) =>
      insertDeadLetters(
        tx,
        [
          deadLetterRow(1, {
            value: answerValue ?? null,
            sessionId: id,
            eventType: 'QuestionAnswered',
          }),
        ],
        0,
      ),
    );
    const summaryBefore = await db.sql.query(
      'SELECT * FROM waymark.session_summary_v1 WHERE session_id = $1',
      [id],
    );

    // Positive controls: the scans below do see what is there (the PDF is stored as sent).
    expect(await filesUnder(storageDir)).toContain(planted.document);
    // (The session id travels as 16 bytes since Avro envelope version 2; the user id as text.)
    expect(kafkaBefore.map((m) => m.value.toString('latin1')).join('')).toContain(`erin-${tag}`);

    const refused = await request(app)
      .post(`${base}/admin/subjects/erin-${tag}/erase/`)
      .set('Authorization', admin)
      .send({});
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('confirmation_required');
    const erased = await request(app)
      .post(`${base}/admin/subjects/erin-${tag}/erase/`)
      .set('Authorization', admin)
      .send({ confirm: true });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ erased: true, key_existed: true, sessions: 1 });
    expect(erased.body.files_removed).toBeGreaterThanOrEqual(3);

    // After: the export shows the shape of the session but none of the person's data.
    const after = await request(app)
      .get(`${base}/sessions/${id}/export/`)
      .set('Authorization', admin);
    expect(after.status).toBe(200);
    const answer = (
      after.body.events as { type: string; data: { answer: unknown }; erased_fields?: string[] }[]
    ).find((e) => e.type === 'QuestionAnswered');
    expect(answer).toMatchObject({ data: { answer: null }, erased_fields: ['answer'] });
    expect(after.body.observations).toEqual([]);

    // Counts stay: same events, same read-model row.
    expect((await store.readStream(`onboarding-${id}`)).events).toHaveLength(
      before.body.events.length,
    );
    expect(
      await db.sql.query('SELECT * FROM waymark.session_summary_v1 WHERE session_id = $1', [id]),
    ).toEqual(summaryBefore);

    // The sealed copies are still there, and can never be opened again.
    const rows = await db.sql.query<{ data: string }>(
      "SELECT data::text AS data FROM message_store.messages WHERE type = 'QuestionAnswered' AND stream_name = $1",
      [`onboarding-${id}`],
    );
    const sealed = (JSON.parse(rows[0]?.data ?? '{}') as { answer: Sealed }).answer;
    expect(sealed.ciphertext.length).toBeGreaterThan(10);
    expect(await createFieldCipher(keys).open(sealed)).toBeNull();

    const haystacks: Record<string, string> = {
      'event store': JSON.stringify(
        await db.sql.query('SELECT data::text, metadata::text FROM message_store.messages'),
      ),
      'kafka topic': (await readTopic(topic))
        .map((m) => m.value.toString('latin1') + JSON.stringify(m.headers))
        .join('\n'),
      'read models': JSON.stringify(
        await db.sql.query('SELECT row_to_json(t)::text FROM waymark.session_summary_v1 t'),
      ),
      'dlq entries': JSON.stringify(
        await db.sql.query(
          "SELECT row_to_json(d)::text, encode(d.message_value, 'escape') FROM waymark.dlq_entries d",
        ),
      ),
      'audit and erasures': JSON.stringify(
        await db.sql.query(
          'SELECT row_to_json(a)::text FROM waymark.audit_log a UNION ALL SELECT row_to_json(e)::text FROM waymark.subject_erasures e',
        ),
      ),
      snapshots: JSON.stringify(
        await db.sql.query('SELECT row_to_json(s)::text FROM waymark.session_snapshots s'),
      ),
      redis: await redisTexts(redis),
      'upload storage': await filesUnder(storageDir),
      logs: logLines.join('\n'),
    };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const [what, value] of Object.entries(planted)) {
        expect({ where, what, found: text.includes(value) }).toEqual({ where, what, found: false });
      }
    }
    const audit = await request(app)
      .get(`${base}/admin/audit/?action=subject.erase`)
      .set('Authorization', admin);
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        action: 'subject.erase',
        actor: 'admin:dpo',
        target: `erin-${tag}`,
        correlation_id: expect.any(String),
      }),
    ]);

    // Resuming still works, but the checkpoint's data is gone for good.
    const resumed = await request(app)
      .post(`${base}/sessions/${id}/resume/`)
      .set('Authorization', erin)
      .send({});
    expect(resumed.body).toMatchObject({ restored_data: null, data_erased: true });
  });
});
