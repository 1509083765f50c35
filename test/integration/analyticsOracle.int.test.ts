import fc from 'fast-check';
import request from 'supertest';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { createSessionSummaryProjection } from '../../projections/sessionSummary/sessionSummaryProjection';
import { oracleFunnel } from '../support/analyticsOracle';
import { iso, now, projectGenerated, sessionArb, steps } from '../support/analyticsHistories';
import { bearer, buildTestApp } from '../support/apiHarness';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/** The funnel endpoint against a plain computation over the raw events, on generated histories. */
describe('analytics oracle: funnel = in-memory computation over the raw events', () => {
  let db: TestDatabase;
  const projection = createSessionSummaryProjection();
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('holds for generated session histories', async () => {
    const { app } = buildTestApp(createInMemoryEventStore(), { sql: db.sql });
    await fc.assert(
      fc.asyncProperty(fc.array(sessionArb, { minLength: 1, maxLength: 40 }), async (generated) => {
        const { tenantId, histories } = await projectGenerated(db.sql, projection, generated);
        const admin = await bearer('admin', tenantId, 'analyst');
        const res = await request(app)
          .get(
            `/api/v1/onboarding/analytics/funnel/?start_date=${iso(now - 30 * 86_400_000)}&end_date=${iso(now + 1)}`,
          )
          .set('Authorization', admin);
        expect(res.status).toBe(200);
        const oracle = oracleFunnel(
          histories.map((h) => h.events),
          steps.length,
          Date.now() - 30 * 60_000,
        );
        const stages = res.body.stages as {
          count: number;
          median_time_in_stage_seconds: number | null;
        }[];
        expect(res.body.total_sessions).toBe(oracle.total);
        expect(res.body.completed_sessions).toBe(oracle.completed);
        expect(stages.map((s) => s.count)).toEqual(oracle.counts);
        stages.slice(1, 1 + steps.length).forEach((s, i) => {
          const expected = oracle.medians[i];
          if (expected === null || expected === undefined)
            expect(s.median_time_in_stage_seconds).toBeNull();
          else expect(s.median_time_in_stage_seconds).toBeCloseTo(expected, 3);
        });
        const drops = Object.fromEntries(
          (res.body.top_drop_off_points as { stage: string; count: number }[]).map((d) => [
            d.stage,
            d.count,
          ]),
        );
        const expectedDrops = Object.fromEntries(
          [
            ['started', oracle.droppedAtStart] as const,
            ...steps.map((s, i) => [s, oracle.droppedHere[i] ?? 0] as const),
          ].filter(([, n]) => n > 0),
        );
        expect(drops).toEqual(expectedDrops);
        if (oracle.medianCompletionSeconds !== null)
          // Minutes with two decimals, as documented.
          expect(res.body.median_completion_time_minutes).toBeCloseTo(
            Math.round(oracle.medianCompletionSeconds / 0.6) / 100,
            6,
          );
      }),
      { numRuns: 25 },
    );
  });
});
