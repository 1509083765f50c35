import { randomUUID } from 'node:crypto';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createLogger } from '../../infra/observability/logger';
import { GapError } from '../../projections/projectionErrors';
import { createSessionSummaryProjection } from '../../projections/sessionSummary/sessionSummaryProjection';
import { sessionSummaryReadModel } from '../../projections/readModels';
import { rebuildReadModel } from '../../projections/rebuild';
import { summaryMismatches } from '../support/readModelCheck';
import { seedSessions } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const checksum = async (db: TestDatabase, table: string) =>
  (
    await db.sql.query<{ sum: string }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY session_id)) AS sum FROM ${table} t`,
    )
  )[0]?.sum;

describe('session summary projection (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('skips redelivered duplicates and reports a gap instead of skipping it', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const [id = ''] = await seedSessions(store, 1);
    const { events } = await store.readStream(`onboarding-${id}`);
    const table = `waymark.summary_${randomUUID().slice(0, 8)}`;
    await db.sql.query(`CREATE TABLE ${table} (LIKE waymark.session_summary_v1 INCLUDING ALL)`);
    const projection = createSessionSummaryProjection(table);
    const run = (batch: typeof events) =>
      db.sql.transaction((tx) => projection.applyBatch(tx, batch));
    expect(await run(events.slice(0, 2))).toEqual({ applied: 2, duplicates: 0, failures: [] });
    expect(await run(events.slice(1, 3))).toEqual({ applied: 1, duplicates: 1, failures: [] });
    const gap = await run(events.slice(5, 7));
    expect(gap.applied).toBe(0);
    expect(gap.failures[0]?.error).toBeInstanceOf(GapError);
    expect(gap.failures[0]?.error.message).toBe(
      'gap in session stream: expected position 3, got 5',
    );
    expect(gap.failures[1]?.error.name).toBe('BlockedByEarlierFailureError');
  });

  it('rebuilds from the event store into a table the reference fold agrees with, equal (ordered checksum) to the live-built one, then switches over', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const ids = await seedSessions(store, 60);
    const live = createSessionSummaryProjection();
    const all = await store.readCategory('onboarding', 1, 100_000);
    for (let i = 0; i < all.length; i += 37) {
      const batch = all.slice(i, i + 37);
      await db.sql.transaction((tx) => live.applyBatch(tx, [...batch, ...batch.slice(0, 5)]));
    }
    expect(await summaryMismatches(db.sql, store, ids)).toEqual([]);
    const logger = createLogger('silent');
    const { table } = await rebuildReadModel(
      { sql: db.sql, eventStore: store, logger },
      sessionSummaryReadModel,
      { switchOver: false },
    );
    // The rebuilt table against the reference fold (not against the live projection, which
    // shares its code): every row as the reference computes it from the store.
    expect(await summaryMismatches(db.sql, store, ids, table)).toEqual([]);
    const liveSum = await checksum(db, 'waymark.session_summary_v1');
    expect(liveSum).toEqual(expect.any(String));
    expect(await checksum(db, table)).toBe(liveSum);
    await rebuildReadModel({ sql: db.sql, eventStore: store, logger }, sessionSummaryReadModel);
    expect(await checksum(db, 'waymark.session_summary_v1')).toBe(liveSum);
    await rebuildReadModel({ sql: db.sql, eventStore: store, logger }, sessionSummaryReadModel);
    expect(await checksum(db, 'waymark.session_summary_v1')).toBe(liveSum);
    expect(await summaryMismatches(db.sql, store, ids)).toEqual([]);
  });
});
