import request from 'supertest';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { insertDeadLetters } from '../../../infra/postgres/dlqStore';
import { migrate } from '../../../infra/postgres/migrate';
import { createPgliteSqlClient } from '../../../infra/postgres/pgliteSqlClient';
import { readModelMigrationDirs } from '../../../projections/migrations';
import { bearer, buildTestApp } from '../../support/apiHarness';
import { deadLetterRow } from '../../support/builders/deadLetters';
import { documentedFields } from '../../support/documentedFields';
import { tickRisk } from '../../support/liveProjection';
import { projectAll } from '../../support/projectAll';

// PGlite (WebAssembly PostgreSQL) takes seconds to start on a busy 2-core machine.
jest.setTimeout(120_000);

const base = '/api/v1/onboarding';
const wide = { points: 1_000_000, durationSeconds: 300 };
const policies = {
  standard: { name: 'standard', ...wide },
  staff: { name: 'staff', ...wide },
  critical: { name: 'critical', ...wide },
};

/** `a.b`, `a[].b`: every element of an array must have the field (and the array items). */
const missing = (body: unknown, path: string): boolean => {
  const [head, ...rest] = path.split('.');
  const key = head?.replace('[]', '') ?? '';
  if (body === null || typeof body !== 'object' || !(key in body)) return true;
  const value = (body as Record<string, unknown>)[key];
  if (rest.length === 0) return false;
  if (head?.endsWith('[]')) {
    const items = value as unknown[];
    return items.length === 0 || items.some((item) => missing(item, rest.join('.')));
  }
  return missing(value, rest.join('.'));
};

const steps = ['information_collection', 'recommendation_review', 'approval'];
const completedHistory = [
  ...steps.flatMap((step) => [
    { type: 'step_entered', step },
    { type: 'step_completed', step },
  ]),
  { type: 'session_completed' },
];
const erroredHistory = [
  { type: 'step_entered', step: steps[0] },
  ...Array.from({ length: 4 }, () => ({
    type: 'error_occurred',
    step: steps[0],
    category: 'network',
    code: 'timeout',
  })),
];

/**
 * 80 sessions 25 hours ago: 40 complete on the web, 40 stop at the first step with errors on
 * mobile (39 of them cancel there, one stays open).
 */
const seed = async () => {
  const store = createInMemoryEventStore();
  const sql = await createPgliteSqlClient('memory://');
  await migrate(sql, readModelMigrationDirs);
  const past = buildTestApp(store, {
    sql,
    policies,
    clock: () => new Date(Date.now() - 25 * 3_600_000),
  }).app;
  const svc = await bearer('service', 'tenant-a', 'svc');
  const ids: string[] = [];
  for (let i = 0; i < 80; i += 1) {
    const done = i % 2 === 0;
    const started = await request(past)
      .post(`${base}/conversation/start/`)
      .set('Authorization', svc)
      .send({ user_id: `u${i}`, channel: done ? 'web' : 'mobile' });
    const id = started.body.conversation_id as string;
    ids.push(id);
    // A drop-off is a session that ended short of completion: the mobile ones give up (cancel),
    // except ids[1], which stays open for the checkpoint, resume and risk calls.
    const events = done
      ? completedHistory
      : i === 1
        ? erroredHistory
        : [...erroredHistory, { type: 'session_cancelled' }];
    await request(past)
      .post(`${base}/sessions/${id}/events/`)
      .set('Authorization', svc)
      .send({ events });
    await request(past)
      .post(`${base}/sessions/${id}/checkpoint/`)
      .set('Authorization', svc)
      .send({ checkpoint_data: { version: 1, state: 'step1', data: { answers: 1 } } });
  }
  await projectAll(store, sql);
  // The risk tick, as the detector's loop runs it: the open session has idled for 25 hours.
  await tickRisk(sql, Date.now());
  await sql.transaction((tx) =>
    insertDeadLetters(
      tx,
      [1, 2, 3].map((i) => deadLetterRow(i, { sessionId: ids[i] ?? null })),
      3,
    ),
  );
  return { app: buildTestApp(store, { sql, policies }).app, sql, ids, svc };
};

describe('every documented field of the 21 endpoints (seed-spec §3)', () => {
  it('is present in the answers, from real data', async () => {
    const { app, sql, ids, svc } = await seed();
    const admin = await bearer('admin', 'tenant-a', 'adm');
    const root = await bearer('superadmin', 'tenant-a', 'root');
    const call = async (
      method: 'get' | 'post' | 'delete',
      path: string,
      auth: string,
      body?: object,
    ) => {
      const agent = request(app);
      const req =
        method === 'get'
          ? agent.get(`${base}${path}`)
          : method === 'post'
            ? agent.post(`${base}${path}`)
            : agent.delete(`${base}${path}`);
      return (await req.set('Authorization', auth).send(body ?? {})).body as unknown;
    };
    const open = ids[1] as string;
    const list = (await call('get', '/admin/dlq/tasks/', admin)) as {
      results: { task_id: string }[];
    };
    const [t1, t2] = list.results.map((r) => r.task_id);
    const answers: Record<number, unknown> = {};
    answers[1] = list;
    answers[3] = await call('post', `/admin/dlq/tasks/${t1}/retry/`, admin, { force: true });
    answers[2] = await call('get', `/admin/dlq/tasks/${t1}/`, admin);
    answers[4] = await call('delete', `/admin/dlq/tasks/${t2}/delete/`, admin);
    answers[5] = await call('get', '/admin/dlq/stats/', admin);
    answers[6] = await call('delete', '/admin/dlq/clear/', root, { confirm: true });
    answers[7] = await call('get', '/analytics/funnel/', admin);
    answers[8] = await call('get', '/analytics/drop-off-heatmap/', admin);
    answers[9] = await call('get', '/analytics/cohort-comparison/?cohort_by=channel', admin);
    answers[10] = await call('get', '/analytics/recommendations/', admin);
    answers[11] = await call('get', '/analytics/realtime/?time_range_hours=30', admin);
    answers[12] = await call('get', '/analytics/comparison/', admin);
    answers[13] = await call('post', `/sessions/${open}/checkpoint/`, svc, {
      checkpoint_data: { version: 2, state: 'step2', data: { answers: 2 } },
      force: true,
    });
    answers[15] = await call('get', `/sessions/${open}/checkpoints/`, svc);
    answers[14] = await call('post', `/sessions/${open}/resume/`, svc, {});
    answers[16] = await call('get', `/sessions/${open}/risk/`, admin);
    answers[17] = await call('get', '/admin/at-risk-sessions/?risk_level=low', admin);
    answers[18] = await call('get', '/dashboard/overview/', admin);
    answers[19] = await call('get', '/dashboard/heatmap/', admin);
    answers[20] = await call('get', `/dashboard/session-replay/${ids[0] as string}/`, admin);
    answers[21] = await call('get', '/dashboard/cohort-trends/?cohort_type=daily', admin);
    const table = documentedFields.map(({ n, endpoint, fields }) => ({
      n,
      endpoint,
      absent: fields.filter((f) => missing(answers[n], f)),
    }));
    // The table of the closing note: documented fields present per endpoint.
    console.info(
      table
        .map(({ n, endpoint, absent }) => {
          const all = documentedFields[n - 1]?.fields.length ?? 0;
          return `${n}. ${endpoint}: ${all - absent.length} / ${all}`;
        })
        .join('\n'),
    );
    expect(table.filter((row) => row.absent.length > 0)).toEqual([]);
    expect(table).toHaveLength(21);

    // Values from the seeded data: 80 started, 40 completed (web), 39 cancelled and 1 open at step 1 (mobile).
    const hourOfStart = new Date(Date.now() - 25 * 3_600_000).getUTCHours();
    const two = (h: number) => String(h % 24).padStart(2, '0');
    expect(answers[8]).toMatchObject({
      overall_drop_off_rate: 48.75, // 39 of 80 ended short of completion (the open one is not a drop-off)
      highest_drop_off_hour: `${two(hourOfStart)}:00-${two(hourOfStart + 1)}:00`,
    });
    const cells = (answers[8] as { heatmap_data: { sessions_started: number }[] }).heatmap_data;
    expect(cells.reduce((a, c) => a + c.sessions_started, 0)).toBe(80);
    expect(answers[9]).toMatchObject({
      best_performing_cohort: { cohort_id: 'web', total_sessions: 40, completed_sessions: 40 },
      worst_performing_cohort: { cohort_id: 'mobile', total_sessions: 40, completed_sessions: 0 },
    });
    expect(answers[7]).toMatchObject({ total_sessions: 80, abandoned_sessions: 0 });
    const recs = answers[10] as {
      recommendations: { id: string }[];
      total_recommendations: number;
    };
    expect(recs.total_recommendations).toBe(recs.recommendations.length);
    expect(recs.recommendations.map((r) => r.id)[0]).toBe('rec_001');
    expect(answers[11]).toMatchObject({
      sessions_started_last_hour: 80,
      current_conversion_rate: 50,
    });
    const errors = (answers[11] as { recent_errors: { error_count: number }[] }).recent_errors;
    expect(errors).toHaveLength(20);
    expect(errors.every((e) => e.error_count === 4)).toBe(true);
    expect(answers[12]).toMatchObject({ period1: { total_sessions: 80, conversion_rate: 50 } });
    expect(answers[5]).toMatchObject({
      retry_statistics: { successful_retries: 1, success_rate: 100 },
    });
    const cohort = (answers[21] as { cohorts: { start_date: string; end_date: string }[] })
      .cohorts[0];
    expect(Date.parse(cohort?.end_date ?? '') - Date.parse(cohort?.start_date ?? '')).toBe(
      86_400_000,
    );
    await sql.close();
  });
});
