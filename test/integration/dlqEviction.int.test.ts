import { Writable } from 'node:stream';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import type { DeadLetterRow } from '../../infra/postgres/dlqStore';
import { storeDeadLetters } from '../../services/dlq/storeDeadLetters';
import { deadLetterRow } from '../support/builders/deadLetters';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/** A row of `tenant` that failed `offset` minutes after a fixed instant (so "oldest" is defined). */
const row = (tenantId: string | null, offset: number): DeadLetterRow =>
  deadLetterRow(offset, {
    tenantId,
    sessionId: `00000000-0000-4000-8000-${String(offset).padStart(12, '0')}`,
    correlationId: `corr-${offset}`,
    firstFailedAt: new Date(Date.UTC(2026, 0, 1, 0, offset)).toISOString(),
  });

/** DLQ_MAX_QUEUE_SIZE: per tenant, handled entries go first, then the oldest open ones. */
describe('DLQ_MAX_QUEUE_SIZE eviction', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  const setup = () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const metrics = createMetrics(undefined, false);
    const deps = { maxRetries: 3, maxQueueSize: 4, metrics, logger: createLogger('info', sink) };
    const store = (rows: DeadLetterRow[]) =>
      db.sql.transaction((tx) => storeDeadLetters(tx, rows, deps));
    const offsets = async (tenant: string) =>
      (
        await db.sql.query<{ source_offset: string }>(
          'SELECT source_offset FROM waymark.dlq_entries WHERE tenant_id = $1 ORDER BY source_offset',
          [tenant],
        )
      ).map((r) => Number(r.source_offset));
    const evicted = async () =>
      (await metrics.registry.getSingleMetric('dlq_tasks_evicted_total')?.get())?.values.map(
        (v) => [v.labels.status, v.value],
      );
    return { lines, store, offsets, evicted };
  };

  it('keeps the newest entries of a full tenant, evicting handled ones before the oldest open ones', async () => {
    const { lines, store, offsets, evicted } = setup();
    await store([1, 2, 3].map((i) => row('evict-a', i)));
    await store([row('evict-b', 50)]);
    // Entry 2 is handled (resolved): it goes first although 1 is older.
    await db.sql.query(
      `UPDATE waymark.dlq_entries SET status = 'resolved' WHERE tenant_id = 'evict-a' AND source_offset = 2`,
    );
    await store([row('evict-a', 4)]);
    expect(await offsets('evict-a')).toEqual([1, 2, 3, 4]);
    expect(await evicted()).toEqual([]);
    await store([row('evict-a', 5)]);
    expect(await offsets('evict-a')).toEqual([1, 3, 4, 5]);
    await store([6, 7].map((i) => row('evict-a', i)));
    expect(await offsets('evict-a')).toEqual([4, 5, 6, 7]);
    // Another tenant is untouched; the counter and the log say what went.
    expect(await offsets('evict-b')).toEqual([50]);
    expect(await evicted()).toEqual([
      ['resolved', 1],
      ['pending', 2],
    ]);
    const warnings = lines.filter((l) => l.includes('DLQ_MAX_QUEUE_SIZE'));
    expect(warnings.map((l) => JSON.parse(l) as object)).toEqual([
      expect.objectContaining({ tenantId: 'evict-a', evicted: { resolved: 1 }, maxQueueSize: 4 }),
      expect.objectContaining({ tenantId: 'evict-a', evicted: { pending: 2 }, maxQueueSize: 4 }),
    ]);
    // Nothing of the failed events in the log: no session or correlation id.
    expect(warnings.join('\n')).not.toMatch(/00000000-0000-4000|corr-/);
  });

  it('counts entries without a tenant as one bucket of their own', async () => {
    const { store } = setup();
    await store([10, 11, 12, 13, 14, 15].map((i) => row(null, i)));
    const rows = await db.sql.query<{ source_offset: string }>(
      'SELECT source_offset FROM waymark.dlq_entries WHERE tenant_id IS NULL ORDER BY source_offset',
    );
    expect(rows.map((r) => Number(r.source_offset))).toEqual([12, 13, 14, 15]);
  });

  it('holds the cap when sinks store the same tenant concurrently', async () => {
    const { store, offsets } = setup();
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        store([row('evict-c', 100 + 2 * i), row('evict-c', 101 + 2 * i)]),
      ),
    );
    expect(await offsets('evict-c')).toHaveLength(4);
  });
});
