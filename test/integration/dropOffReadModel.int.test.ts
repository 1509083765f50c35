import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { OnboardingEvent } from '../../events/onboarding/events';
import { onboardingStream } from '../../events/streamNames';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createLogger } from '../../infra/observability/logger';
import { dropOffReadModel } from '../../projections/readModels';
import { rebuildReadModel } from '../../projections/rebuild';
import { historyOf, iso, sessionArb } from '../support/analyticsHistories';
import { projectRedelivered } from '../support/projectAll';
import { toNewEvents } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const rowsOf = (db: TestDatabase, table: string) =>
  db.sql.query<{ row: string }>(
    `SELECT t::text AS row FROM ${table} t ORDER BY tenant_id, flow_id, start_day, hour, stage`,
  );

/**
 * The heatmap read model: built live from redelivered, interleaved batches (dropped sessions
 * that later move to another hour among them) it equals the cells counted over the session
 * summaries, and, row for row, the model rebuilt from the log.
 */
describe('heatmap read model (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('live = the summaries counted = rebuilt, under redelivery and moves between cells', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    const histories = fc.sample(sessionArb, { numRuns: 80, seed: 21 }).map((g) => {
      const id = randomUUID();
      return { id, events: historyOf(tenantId, id, g) };
    });
    const append = (id: string, events: readonly OnboardingEvent[], after: number) =>
      store.appendToStream(onboardingStream(id), toNewEvents(events), { expectedVersion: after });
    for (const { id, events } of histories) await append(id, events, -1);
    // An abandoned session touched again hours later (a resume) leaves its old hour's cell.
    const moved = histories.filter((h) => h.events.at(-1)?.type === 'SessionAbandoned');
    expect(moved.length).toBeGreaterThan(2);
    for (const { id, events } of moved) {
      const last = Date.parse(events.at(-1)?.data.at ?? '');
      await append(
        id,
        [
          {
            type: 'SessionResumed',
            data: { fromCheckpointVersion: null, at: iso(last + 3 * 3_600_000) },
          },
        ],
        events.length - 1,
      );
    }
    await projectRedelivered(store, db.sql, 29, 7);
    const liveRows = await rowsOf(db, 'waymark.dropoff_hourly_v1');
    expect(liveRows.length).toBeGreaterThan(0);

    const cells = (sql: string) =>
      db.sql.query<{ start_day: string; hour: string; stage: number; n: number }>(sql, [tenantId]);
    const fromSummaries = await cells(
      `SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS start_day,
              to_char(date_trunc('hour', last_activity_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24') AS hour,
              furthest_step_index AS stage, count(*)::int AS n
         FROM waymark.session_summary_v1
        WHERE tenant_id = $1 AND status IN ('cancelled', 'abandoned')
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    const fromModel = await cells(
      `SELECT to_char(start_day, 'YYYY-MM-DD') AS start_day,
              to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24') AS hour, stage, sessions AS n
         FROM waymark.dropoff_hourly_v1 WHERE tenant_id = $1 ORDER BY 1, 2, 3`,
    );
    expect(fromModel).toEqual(fromSummaries);
    expect(fromModel.every((c) => c.n > 0)).toBe(true);

    const logger = createLogger('silent');
    const deps = { sql: db.sql, eventStore: store, logger };
    const { table } = await rebuildReadModel(deps, dropOffReadModel, { switchOver: false });
    expect(await rowsOf(db, table)).toEqual(liveRows);
    await rebuildReadModel(deps, dropOffReadModel);
    expect(await rowsOf(db, 'waymark.dropoff_hourly_v1')).toEqual(liveRows);
  });
});
