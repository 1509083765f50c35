import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { onboardingStream } from '../../events/streamNames';
import { createMessageDbEventStore } from '../../infra/eventStore/messageDbEventStore';
import { createLogger } from '../../infra/observability/logger';
import { funnelContribution, sumCounts } from '../../projections/funnel/funnelCounts';
import { cohortValuesOf, type CohortDimension } from '../../projections/funnel/cohortKeys';
import { dayOf } from '../../projections/funnel/funnelProjection';
import { sessionFunnelFacts } from '../../projections/sessionSummary/funnelQueries';
import { funnelReadModel, riskReadModel } from '../../projections/readModels';
import { testRiskScorer } from '../support/liveProjection';
import { projectRedelivered } from '../support/projectAll';
import { rebuildReadModel } from '../../projections/rebuild';
import { historyOf, now, sessionArb } from '../support/analyticsHistories';
import { toNewEvents } from '../support/seedEvents';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const rowsOf = (db: TestDatabase, table: string) =>
  db.sql.query<{ row: string }>(
    `SELECT t::text AS row FROM ${table} t
      ORDER BY tenant_id, flow_id, cohort_key, day, flow_version, cohort_value`,
  );

/**
 * The funnel read model: built live from redelivered, interleaved batches it equals, row for row,
 * the one rebuilt from the log, and each day row is the sum of its sessions' contributions.
 */
describe('funnel and risk read models (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('live = rebuilt row for row, under redelivery, and the funnel = the sum of the sessions', async () => {
    const store = createMessageDbEventStore({ sql: db.sql, groupCommit: false });
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    const generated = fc.sample(sessionArb, { numRuns: 60, seed: 12 });
    const histories = generated.map((g) => {
      const id = randomUUID();
      return { id, events: historyOf(tenantId, id, g) };
    });
    // First halves of every history, then the rest: sessions move on across batches.
    for (const half of [0, 1])
      for (const { id, events } of histories) {
        const cut = Math.ceil(events.length / 2);
        const part = half === 0 ? events.slice(0, cut) : events.slice(cut);
        if (part.length > 0)
          await store.appendToStream(onboardingStream(id), toNewEvents(part), {
            expectedVersion: half === 0 ? -1 : cut - 1,
          });
      }
    // Each batch redelivers the end of the previous one: the position guard skips it.
    await projectRedelivered(store, db.sql, 37, 10);
    const liveRows = await rowsOf(db, 'waymark.funnel_daily_v1');
    expect(liveRows.length).toBeGreaterThan(0);

    // Every row (the whole flow's, and each cohort value's) is the sum of the contributions of
    // the sessions that started that day with that value.
    const facts = await sessionFunnelFacts(db.sql, {
      table: 'waymark.session_summary_v1',
      tenantId,
      flowId: 'default',
      from: new Date(0),
      to: new Date(now + 365 * 86_400_000),
    });
    const rows = await db.sql.query<{
      day: string;
      cohort_key: string;
      cohort_value: string;
      counts: Record<string, number>;
    }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, cohort_key, cohort_value, counts
         FROM waymark.funnel_daily_v1 WHERE tenant_id = $1 ORDER BY 1, 2, 3`,
      [tenantId],
    );
    expect(new Set(rows.map((r) => r.cohort_key))).toEqual(
      new Set(['', 'client', 'language', 'channel']),
    );
    for (const { day, cohort_key: key, cohort_value: value, counts } of rows) {
      const members = facts.filter(
        (f) =>
          dayOf(f.startedAt) === day &&
          (key === '' || cohortValuesOf(f)[key as CohortDimension] === value),
      );
      expect(counts).toEqual(sumCounts(members.map(funnelContribution)));
    }
    const whole = rows.filter((r) => r.cohort_key === '');
    expect(whole.reduce((n, d) => n + (d.counts.started ?? 0), 0)).toBe(histories.length);

    const logger = createLogger('silent');
    const deps = { sql: db.sql, eventStore: store, logger };
    const { table } = await rebuildReadModel(deps, funnelReadModel, { switchOver: false });
    expect(await rowsOf(db, table)).toEqual(liveRows);
    await rebuildReadModel(deps, funnelReadModel);
    expect(await rowsOf(db, 'waymark.funnel_daily_v1')).toEqual(liveRows);
    const scratch = await db.sql.query(
      `SELECT 1 FROM pg_tables WHERE schemaname = 'waymark' AND tablename LIKE 'funnel_daily_v1_rebuild%'`,
    );
    expect(scratch).toEqual([]);

    // The risk read model, built in the same batches: one row per active session, scored at its
    // last event, so the rebuilt rows equal the live ones (no tick ran in between).
    const riskRows = () =>
      db.sql.query<{ row: string }>(
        `SELECT t::text AS row FROM waymark.session_risk_v1 t ORDER BY session_id`,
      );
    const liveRisk = await riskRows();
    const [active] = await db.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM waymark.session_summary_v1 WHERE status = 'active'`,
    );
    expect(liveRisk.length).toBe(Number(active?.n));
    expect(liveRisk.length).toBeGreaterThan(0);
    const risk = riskReadModel(testRiskScorer());
    const rebuiltRisk = await rebuildReadModel(deps, risk, { switchOver: false });
    expect(
      await db.sql.query<{ row: string }>(
        `SELECT t::text AS row FROM ${rebuiltRisk.table} t ORDER BY session_id`,
      ),
    ).toEqual(liveRisk);
    await rebuildReadModel(deps, risk);
    expect(await riskRows()).toEqual(liveRisk);
  });
});
