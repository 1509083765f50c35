import request from 'supertest';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { insertDeadLetters } from '../../infra/postgres/dlqStore';
import { deadLetterRow } from '../support/builders/deadLetters';
import { bearer, buildTestApp } from '../support/apiHarness';
import { seedSessions } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const base = '/api/v1/onboarding/admin/dlq';
const row = deadLetterRow;

describe('DLQ admin API contract', () => {
  let db: TestDatabase;
  let app: ReturnType<typeof buildTestApp>['app'];
  let session = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    [session = ''] = await seedSessions(store, 1);
    await db.sql.transaction((tx) =>
      insertDeadLetters(
        tx,
        [
          ...Array.from({ length: 25 }, (_, i) => row(i)),
          row(100, { tenantId: 'tenant-b', correlationId: 'other-tenant' }),
          row(101, { sessionId: session, errorCategory: 'gap' }),
          row(101, { sessionId: session }),
        ],
        3,
      ),
    );
    await db.sql.query('UPDATE waymark.dlq_entries SET retry_count = 3 WHERE source_offset = 24');
    ({ app } = buildTestApp(store, { sql: db.sql }));
  });
  afterAll(async () => db.drop());

  const get = async (
    path: string,
    role: 'admin' | 'superadmin' | 'user' = 'admin',
    tenant = 'tenant-a',
  ) =>
    request(app)
      .get(`${base}${path}`)
      .set('Authorization', await bearer(role, tenant));
  const idOf = async (offset: number) =>
    (
      await db.sql.query<{ id: string }>(
        'SELECT id FROM waymark.dlq_entries WHERE source_offset = $1',
        [offset],
      )
    )[0]?.id ?? '';

  it('lists with filters and pages, scoped to the tenant; duplicates of one source message are stored once', async () => {
    const all = await get('/tasks/');
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(26);
    expect(all.body.results).toHaveLength(20);
    expect(all.body.next).toContain('page=2');
    expect(all.body.previous).toBeNull();
    expect((await get('/tasks/?page=2')).body.results).toHaveLength(6);
    expect((await get('/tasks/?category=gap')).body.count).toBe(13);
    expect((await get('/tasks/?correlation_id=corr-3')).body.results[0]).toMatchObject({
      correlation_id: 'corr-3',
      task_name: 'projector',
      status: 'pending',
    });
    expect((await get('/tasks/?correlation_id=other-tenant')).body.count).toBe(0);
    expect((await get('/tasks/', 'superadmin', 'ops')).body.count).toBe(27);
    expect((await get('/tasks/?client_id=tenant-b')).status).toBe(403);
  });

  it('rejects bad filters, bad ids and other roles', async () => {
    for (const q of [
      '?status=lost',
      '?page=0',
      '?page_size=1000',
      '?unknown=1',
      '?session_id=nope',
    ])
      expect((await get(`/tasks/${q}`)).status).toBe(400);
    expect((await get('/tasks/not-an-id/')).status).toBe(400);
    expect((await get('/tasks/dlq_00000000000000000000/')).status).toBe(404);
    expect((await get(`/tasks/${await idOf(100)}/`)).status).toBe(404);
    expect((await get('/tasks/', 'user')).status).toBe(403);
    expect((await request(app).get(`${base}/tasks/`)).status).toBe(401);
  });

  it('refuses a retry past max_retries without force, and retries by re-drive with it', async () => {
    const id = await idOf(24);
    const auth = await bearer('admin', 'tenant-a');
    const refused = await request(app)
      .post(`${base}/tasks/${id}/retry/`)
      .set('Authorization', auth)
      .send({});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'max_retries_exceeded',
      task_id: id,
      retry_count: 3,
      max_retries: 3,
    });
    const unavailable = await request(app)
      .post(`${base}/tasks/${id}/retry/`)
      .set('Authorization', auth)
      .send({ force: true });
    expect(unavailable.status).toBe(409);
    expect(unavailable.body.error).toBe('retry_unavailable');
    const redrive = await request(app)
      .post(`${base}/tasks/${await idOf(101)}/retry/`)
      .set('Authorization', auth)
      .send({});
    expect(redrive.body).toMatchObject({ status: 'resolved' });
    expect(
      (
        await request(app)
          .post(`${base}/tasks/${id}/retry/`)
          .set('Authorization', auth)
          .send({ force: 'yes' })
      ).status,
    ).toBe(400);
    // Overrides are documented but cannot apply (the retry re-drives the stream): null only.
    const overridden = await request(app)
      .post(`${base}/tasks/${id}/retry/`)
      .set('Authorization', auth)
      .send({ override_args: ['x'] });
    expect(overridden.status).toBe(400);
    expect(Object.keys(overridden.body.field_errors as object)).toEqual(['override_args']);
  });

  it('reports stats and bulk-retry counts', async () => {
    const stats = await get('/stats/?time_range_hours=1');
    expect(stats.body).toMatchObject({
      total_failed_tasks: 26,
      retention_days: 30,
      max_queue_size: 1000,
      time_range: { hours: 1 },
    });
    expect(stats.body.tasks_by_status).toEqual({ pending: 25, resolved: 1 });
    // The retry history: the previous test's re-drive resolved; one failed attempt added here.
    await db.sql.query(
      `INSERT INTO waymark.dlq_retry_history (entry_id, attempt, actor, outcome, error)
       SELECT id, 99, 'admin:test', 'failed', 'boom' FROM waymark.dlq_entries ORDER BY id LIMIT 1`,
    );
    const again = await get('/stats/?time_range_hours=1');
    const history = await db.sql.query<{ outcome: string }>(
      'SELECT outcome FROM waymark.dlq_retry_history',
    );
    const ok = history.filter((h) => h.outcome.startsWith('resolved')).length;
    expect(again.body.retry_statistics).toMatchObject({
      successful_retries: ok,
      failed_retries: history.length - ok,
      success_rate: Math.round((10_000 * ok) / history.length) / 100,
    });
    expect(history.length).toBeGreaterThan(ok);
    expect(ok).toBeGreaterThan(0);
    const dry = await request(app)
      .post(`${base}/tasks/retry/`)
      .set('Authorization', await bearer('admin', 'tenant-a'))
      .send({ category: 'decode' });
    expect(dry.body).toEqual({ dry_run: true, matching_count: 13 });
  });

  it('bulk retry skips what a single retry would refuse, with the reason, and goes on', async () => {
    const admin = await bearer('admin', 'tenant-a');
    const ids = (
      await db.sql.query<{ id: string; retry_count: number }>(
        `SELECT id, retry_count FROM waymark.dlq_entries WHERE tenant_id = 'tenant-a'
           AND session_id IS NULL AND status = 'pending' ORDER BY id`,
      )
    ).map((r) => r.id);
    const run = await request(app)
      .post(`${base}/tasks/retry/`)
      .set('Authorization', admin)
      .send({ dry_run: false, force: true, limit: 1000 });
    expect(run.status).toBe(200);
    const byId = new Map(
      (run.body.results as { task_id: string; status: string; reason?: string }[]).map((r) => [
        r.task_id,
        r,
      ]),
    );
    // Entries without a session have no re-drive: each is skipped, none stops the run.
    expect(ids.length).toBeGreaterThan(2);
    for (const id of ids)
      expect(byId.get(id)).toEqual({ task_id: id, status: 'skipped', reason: 'retry_unavailable' });
    expect(run.body.matching_count).toBe(byId.size);
    const audited = await db.sql.query<{ details: { attempted: number } }>(
      `SELECT details FROM waymark.audit_log WHERE action = 'dlq.bulk_retry' ORDER BY id DESC LIMIT 1`,
    );
    expect(audited[0]?.details.attempted).toBe(byId.size);
  });

  it('deletes one task and clears by filter only for a superadmin with confirmation, auditing both', async () => {
    const admin = await bearer('admin', 'tenant-a');
    const first = await idOf(0);
    const del = await request(app)
      .delete(`${base}/tasks/${first}/delete/`)
      .set('Authorization', admin);
    // The documented fields (status, message, deleted_at) besides Waymark's `deleted`.
    expect(del.body).toEqual({
      status: 'deleted',
      message: expect.any(String),
      task_id: first,
      deleted_at: expect.any(String),
      deleted: true,
    });
    expect((await get(`/tasks/${first}/`)).status).toBe(404);
    expect(
      (
        await request(app)
          .delete(`${base}/clear/`)
          .set('Authorization', admin)
          .send({ confirm: true })
      ).status,
    ).toBe(403);
    const root = await bearer('superadmin', 'ops');
    const unconfirmed = await request(app)
      .delete(`${base}/clear/`)
      .set('Authorization', root)
      .send({ category: 'decode' });
    expect(unconfirmed.status).toBe(400);
    // 12 decode entries of tenant-a left after the delete, 1 of tenant-b: a superadmin clears across tenants.
    expect(unconfirmed.body).toMatchObject({ error: 'confirmation_required', matching_count: 13 });
    expect(
      (
        await request(app)
          .delete(`${base}/clear/`)
          .set('Authorization', root)
          .send({ category: 'decode', dry_run: true })
      ).body,
    ).toEqual({ dry_run: true, matching_count: 13 });
    expect(
      (
        await request(app)
          .delete(`${base}/clear/`)
          .set('Authorization', root)
          .send({ category: 'decode', confirm: true })
      ).body,
    ).toEqual({
      status: 'cleared',
      message: expect.any(String),
      deleted_count: 13,
      filters_applied: { category: 'decode' },
      cleared_at: expect.any(String),
    });
    const audit = await db.sql.query<{ action: string; actor: string }>(
      "SELECT action, actor FROM waymark.audit_log WHERE action IN ('dlq.delete', 'dlq.clear') ORDER BY id",
    );
    expect(audit).toEqual([
      { action: 'dlq.delete', actor: 'admin:admin-1' },
      { action: 'dlq.clear', actor: 'superadmin:superadmin-1' },
    ]);
  });
});
