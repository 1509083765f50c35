import { Redis } from 'ioredis';
import request from 'supertest';
import { subjectOf } from '../../events/sealed';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createPgSnapshotStore } from '../../infra/snapshots/pgSnapshotStore';
import { createRedisSnapshotStore, snapshotKey } from '../../infra/snapshots/redisSnapshotStore';
import { bearer, buildTestApp } from '../support/apiHarness';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { unreachableRedis } from '../support/privateRedis';
import { testEnv } from '../support/testEnv';
import { uniqueName } from '../support/uniqueName';

const base = '/api/v1/onboarding';
const canary = 'Canary-Checkpoint-Street-42';
let db: TestDatabase;
let redis: Redis;
let deadRedis: Redis;
beforeAll(async () => {
  db = await createTestDatabase();
  redis = new Redis(testEnv.redisUrl);
  deadRedis = unreachableRedis();
});
afterAll(async () => {
  redis.disconnect();
  await db.drop();
});

/** The API on Message DB with Redis + PostgreSQL snapshot tiers and a clock the test moves. */
const setup = async (maxCheckpointBytes = 64 * 1024) => {
  const eventStore = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
  let now = Date.parse('2026-03-02T10:00:00.000Z');
  const tiers = [
    { name: 'redis', store: createRedisSnapshotStore(redis, 3600) },
    { name: 'postgresql', store: createPgSnapshotStore(db.sql) },
  ];
  const harness = buildTestApp(eventStore, {
    snapshotTiers: tiers,
    clock: () => new Date(now),
    recoverySettings: { maxCheckpointBytes },
  });
  const userId = uniqueName('u');
  const user = await bearer('user', 'tenant-a', userId);
  const session = (
    await request(harness.app)
      .post(`${base}/conversation/start/`)
      .set('Authorization', user)
      .send({})
  ).body.conversation_id as string;
  const call = (method: 'post' | 'get', path: string, body?: object, auth = user) => {
    const req = request(harness.app)[method](`${base}/sessions/${session}/${path}`);
    return body === undefined
      ? req.set('Authorization', auth)
      : req.set('Authorization', auth).send(body);
  };
  const checkpoint = (data: object, extra: object = {}, state = 'collecting_info') =>
    call('post', 'checkpoint/', { checkpoint_data: { version: 2, state, data }, ...extra });
  return {
    ...harness,
    eventStore,
    session,
    user,
    userId,
    call,
    checkpoint,
    tick: (seconds: number) => (now += seconds * 1000),
  };
};

describe('checkpoints', () => {
  it('records a checkpoint in the stream and snapshots it to Redis (TTL) and PostgreSQL', async () => {
    const api = await setup();
    const res = await api.checkpoint({ answers: { street: canary }, step: 1 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'created',
      checkpoint_version: 1,
      checkpoint_hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      storage: { event_store: true, redis: true, postgresql: true },
      ttl_seconds: 3600,
    });
    expect(await redis.ttl(snapshotKey(api.session))).toBeGreaterThan(3500);
    const rows = await db.sql.query<{ position: string }>(
      'SELECT position FROM waymark.session_snapshots WHERE session_id = $1',
      [api.session],
    );
    expect(rows.map((r) => Number(r.position))).toEqual([1]);
  });

  it('answers unchanged for the same payload in any key order, skipped inside the interval, and force records', async () => {
    const api = await setup();
    await api.checkpoint({ a: 1, b: { c: 2, d: 3 } }).expect(201);
    api.tick(60);
    const same = await api.checkpoint({ b: { d: 3, c: 2 }, a: 1 });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ status: 'unchanged', checkpoint_version: 1 });
    api.tick(5);
    await api.checkpoint({ a: 2 }).expect(201);
    api.tick(5);
    const early = await api.checkpoint({ a: 3 });
    expect(early.body).toMatchObject({ status: 'skipped', reason: 'interval_not_elapsed' });
    const forced = await api.checkpoint({ a: 3 }, { force: true });
    expect(forced.body).toMatchObject({ status: 'created', checkpoint_version: 3 });
    api.tick(31);
    await api.checkpoint({ a: 4 }).expect(201);

    const list = await api.call('get', 'checkpoints/?limit=2');
    expect(list.status).toBe(200);
    expect(list.body.total_checkpoints).toBe(4);
    expect((list.body.checkpoints as { version: number }[]).map((c) => c.version)).toEqual([4, 3]);
    expect(list.body.checkpoints[0]).toMatchObject({ state: 'collecting_info', data_version: 2 });
  });

  it('refuses bad bodies (400), oversized payloads (413) and other users (404), changing nothing', async () => {
    const api = await setup(4096);
    const other = await bearer('user', 'tenant-a', 'someone-else');
    const bad = [
      { state: 'in_progress', data: {} },
      { checkpoint_data: { version: 1, state: 'in progress!', data: {} } },
      { checkpoint_data: { version: 1, state: 'x', data: [] } },
      { checkpoint_data: { version: -1, state: 'x', data: {} } },
      { checkpoint_data: { version: 1, state: 'x', data: {} }, force: 'yes' },
    ];
    for (const body of bad) expect((await api.call('post', 'checkpoint/', body)).status).toBe(400);
    const big = await api.checkpoint({ blob: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('checkpoint_too_large');
    const valid = { checkpoint_data: { version: 1, state: 'x', data: {} } };
    expect((await api.call('post', 'checkpoint/', valid, other)).status).toBe(404);
    const admin = await bearer('admin', 'tenant-a');
    expect((await api.call('post', 'checkpoint/', valid, admin)).status).toBe(403);
    expect((await api.eventStore.readStream(`onboarding-${api.session}`)).version).toBe(0);
  });
});

describe('resume', () => {
  it('restores the latest or a chosen checkpoint from Redis, then PostgreSQL, then by replay', async () => {
    const api = await setup();
    expect((await api.call('post', 'resume/', {})).body.error).toBe('no_checkpoints_found');
    await api.call('post', 'events/', {
      events: [{ type: 'step_entered', step: 'information_collection' }],
    });
    await api.checkpoint({ answers: { street: canary } }).expect(201);
    api.tick(40);
    await api.checkpoint({ answers: { street: 'second' } }, {}, 'reviewing').expect(201);
    api.tick(20);

    const latest = await api.call('post', 'resume/', {});
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({
      status: 'resumed',
      checkpoint_version: 2,
      restored_state: 'reviewing',
      restored_data: { answers: { street: 'second' } },
      checkpoint_age_seconds: 20,
      next_action: { type: 'continue_step', step: 'information_collection' },
      restored_from: 'redis',
    });
    const first = await api.call('post', 'resume/', { checkpoint_version: 1 });
    expect(first.body).toMatchObject({
      checkpoint_version: 1,
      restored_data: { answers: { street: canary } },
    });
    expect((await api.call('post', 'resume/', { checkpoint_version: 9 })).body.error).toBe(
      'checkpoint_not_found',
    );

    const withoutRedis = buildTestApp(api.eventStore, {
      keys: api.keys,
      snapshotTiers: [
        { name: 'redis', store: createRedisSnapshotStore(deadRedis, 3600) },
        { name: 'postgresql', store: createPgSnapshotStore(db.sql) },
      ],
    });
    const viaPg = await request(withoutRedis.app)
      .post(`${base}/sessions/${api.session}/resume/`)
      .set('Authorization', api.user)
      .send({});
    expect(viaPg.body).toMatchObject({ restored_from: 'postgresql', checkpoint_version: 2 });
    await db.sql.query('DELETE FROM waymark.session_snapshots WHERE session_id = $1', [
      api.session,
    ]);
    const viaReplay = await request(withoutRedis.app)
      .post(`${base}/sessions/${api.session}/resume/`)
      .set('Authorization', api.user)
      .send({});
    expect(viaReplay.body).toMatchObject({
      restored_from: 'replay',
      restored_data: { answers: { street: 'second' } },
    });
    expect(viaReplay.body.session.counts.resumes).toBe(4);
  });

  it('refuses ended sessions (409) and answers erased data as null', async () => {
    const api = await setup();
    await api.checkpoint({ answers: { street: canary } }).expect(201);
    await api.keys.destroy(subjectOf('tenant-a', api.userId));
    const erased = await api.call('post', 'resume/', {});
    expect(erased.body).toMatchObject({ restored_data: null, data_erased: true });
    await api.call('post', 'events/', { events: [{ type: 'session_cancelled' }] }).expect(201);
    const ended = await api.call('post', 'resume/', {});
    expect(ended.status).toBe(409);
    expect(ended.body).toMatchObject({ error: 'session_ended', session_state: 'cancelled' });
  });

  it('stores checkpoint data only sealed: not in the events, Redis or PostgreSQL snapshots', async () => {
    const api = await setup();
    await api.checkpoint({ answers: { street: canary } }).expect(201);
    const [events] = await db.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM message_store.messages WHERE data::text LIKE $1`,
      [`%${canary}%`],
    );
    const [snapshots] = await db.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM waymark.session_snapshots WHERE state::text LIKE $1`,
      [`%${canary}%`],
    );
    expect(Number(events?.n)).toBe(0);
    expect(Number(snapshots?.n)).toBe(0);
    expect(await redis.get(snapshotKey(api.session))).not.toContain(canary);
    expect((await api.call('post', 'resume/', {})).body.restored_data).toEqual({
      answers: { street: canary },
    });
  });
});
