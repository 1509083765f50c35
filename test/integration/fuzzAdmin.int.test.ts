import fc from 'fast-check';
import request from 'supertest';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { insertDeadLetters } from '../../infra/postgres/dlqStore';
import { dlqStatuses } from '../../infra/postgres/dlqQueries';
import { bearer, buildTestApp } from '../support/apiHarness';
import { createTally, mostlyValid } from '../support/arbitraries/mutated';
import { deadLetterRow } from '../support/builders/deadLetters';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const base = '/api/v1/onboarding/admin/dlq';
const keys = [
  'status',
  'category',
  'task_name',
  'correlation_id',
  'session_id',
  'client_id',
  'page',
  'page_size',
  'time_range_hours',
  'force',
  'dry_run',
  'limit',
  'older_than_hours',
  'confirm',
  '__proto__',
  'constructor',
  'x',
];
const value = fc.oneof(
  fc.constantFrom(
    'pending',
    'retrying',
    'database',
    '0',
    '-1',
    '1e9',
    'NaN',
    'true',
    '',
    '%00',
    "' OR 1=1 --",
    '../..',
    'a'.repeat(3000),
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
);
const query = fc.array(
  fc.tuple(
    fc.constantFrom(...keys),
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('1', '100', '101', '-5', 'pending', 'x'.repeat(500)),
    ),
  ),
  { maxLength: 6 },
);
const body = fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 });

/** Documented queries and bodies, so most requests get past validation (then changed). */
const slug = fc.stringMatching(/^[a-z][a-z0-9_-]{0,15}$/);
const status = fc.constantFrom(...dlqStatuses);
const validList = fc.record(
  {
    status,
    category: slug,
    page: fc.integer({ min: 1, max: 5 }),
    page_size: fc.integer({ min: 1, max: 100 }),
  },
  { requiredKeys: [] },
);
const validStats = fc.record(
  { time_range_hours: fc.integer({ min: 1, max: 8760 }) },
  { requiredKeys: [] },
);
const validRetry = fc.record(
  {
    status,
    force: fc.boolean(),
    dry_run: fc.constant(true),
    limit: fc.integer({ min: 1, max: 1000 }),
  },
  { requiredKeys: ['dry_run'] },
);
const validClear = fc.record(
  {
    status,
    category: slug,
    older_than_hours: fc.integer({ min: 1, max: 1000 }),
    dry_run: fc.constant(true),
  },
  { requiredKeys: ['dry_run'] },
);
/** A (possibly changed) object as query pairs; anything but an object becomes one odd pair. */
const asQuery = (v: unknown): [string, string][] =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)])
    : [['x', JSON.stringify(v)]];

const snapshot = async (db: TestDatabase) =>
  JSON.stringify(
    await db.sql.query('SELECT id, status, retry_count FROM waymark.dlq_entries ORDER BY id'),
  );

/** Admin query strings and bodies, fuzzed: never a 5xx, and a 4xx changes nothing. */
describe('fuzzing the admin DLQ endpoints (fast-check)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('holds for list and stats queries and for bulk retry and clear bodies', async () => {
    await db.sql.transaction((tx) =>
      insertDeadLetters(
        tx,
        Array.from({ length: 5 }, (_, i) => deadLetterRow(i + 1)),
        0,
      ),
    );
    const store = createInMemoryEventStore();
    const unlimited = { name: 'fuzz', points: 1e9, durationSeconds: 60 };
    const { app } = buildTestApp(store, {
      sql: db.sql,
      policies: { standard: unlimited, staff: unlimited, critical: unlimited },
    });
    const admin = await bearer('admin', 'tenant-a', 'fuzz-admin');
    // Clearing is for superadmins only: the documented clear bodies are sent by one.
    const superadmin = await bearer('superadmin', 'tenant-a', 'fuzz-superadmin');
    const tally = createTally('admin dlq');
    const request_ = fc.oneof(
      mostlyValid(validList).map((f) => ({
        method: 'get' as const,
        path: 'tasks/',
        q: asQuery(f.body),
        body: {},
      })),
      mostlyValid(validStats).map((f) => ({
        method: 'get' as const,
        path: 'stats/',
        q: asQuery(f.body),
        body: {},
      })),
      mostlyValid(validRetry).map((f) => ({
        method: 'post' as const,
        path: 'tasks/retry/',
        q: [],
        body: f.body,
      })),
      mostlyValid(validClear).map((f) => ({
        method: 'delete' as const,
        path: 'clear/',
        q: [],
        body: f.body,
        superadmin: true,
      })),
      query.map((q) => ({ method: 'get' as const, path: 'tasks/', q, body: {} })),
      query.map((q) => ({ method: 'get' as const, path: 'stats/', q, body: {} })),
      body.map((b) => ({ method: 'post' as const, path: 'tasks/retry/', q: [], body: b })),
      body.map((b) => ({ method: 'delete' as const, path: 'clear/', q: [], body: b })),
    );
    await fc.assert(
      fc.asyncProperty(request_, async ({ method, path, q, body: b, ...who }) => {
        const before = await snapshot(db);
        const qs = new URLSearchParams(q as [string, string][]).toString();
        const agent = request(app);
        let req = agent[method](`${base}/${path}${qs ? `?${qs}` : ''}`).set(
          'Authorization',
          'superadmin' in who ? superadmin : admin,
        );
        if (method !== 'get')
          req = req.set('Content-Type', 'application/json').send(JSON.stringify(b));
        const res = await req;
        tally.record(res.status, res.body?.error);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.body).toEqual(
            expect.objectContaining({
              error: expect.any(String),
              correlation_id: expect.any(String),
            }),
          );
          expect(await snapshot(db)).toBe(before);
        }
      }),
      { numRuns: 300 },
    );
    tally.expectReached(0.3);
  });
});
