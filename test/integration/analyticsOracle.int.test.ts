import fc from 'fast-check';
import request from 'supertest';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { testLiveProjection } from '../support/liveProjection';
import { histogramRelativeError } from '../../projections/funnel/timeHistogram';
import { oracleFunnel } from '../support/analyticsOracle';
import { iso, now, projectGenerated, sessionArb, steps } from '../support/analyticsHistories';
import { bearer, buildTestApp } from '../support/apiHarness';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

type Stage = {
  stage: string;
  count: number;
  conversion_rate: number;
  step_conversion_rate: number;
  drop_off_count: number;
  drop_off_rate: number;
  in_progress: number;
  median_time_in_stage_seconds: number | null;
  p90_time_in_stage_seconds: number | null;
};

/**
 * Times in a stage come from the funnel read model's log-bucketed histograms, so they are within
 * its stated relative error of the exact percentile_cont (projections/funnel/timeHistogram.ts).
 */
const withinBucketError = (actual: number | null, expected: number | null | undefined) => {
  if (expected === null || expected === undefined) return expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? NaN) - expected)).toBeLessThanOrEqual(
    histogramRelativeError * Math.abs(expected) + 1e-9,
  );
};

/**
 * The funnel endpoint against a plain computation over the raw events, on generated histories
 * with skipped steps, completions that skip the last steps, going back, cancelled, abandoned and
 * running sessions; and the funnel's invariants on every one of them.
 */
describe('analytics oracle: funnel = in-memory computation over the raw events', () => {
  let db: TestDatabase;
  const projection = testLiveProjection();
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('holds for generated session histories, for an explicit and for the default period', async () => {
    // The clock a millisecond after `now`: the default period (30 days up to now) holds them all.
    const { app } = buildTestApp(createInMemoryEventStore(), {
      sql: db.sql,
      clock: () => new Date(now + 1),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(sessionArb, { minLength: 1, maxLength: 40 }), async (generated) => {
        const { tenantId, histories } = await projectGenerated(db.sql, projection, generated);
        const admin = await bearer('admin', tenantId, 'analyst');
        const oracle = oracleFunnel(
          histories.map((h) => h.events),
          steps.length,
        );
        for (const query of [
          `?start_date=${iso(now - 30 * 86_400_000)}&end_date=${iso(now + 1)}`,
          '',
        ]) {
          const res = await request(app)
            .get(`/api/v1/onboarding/analytics/funnel/${query}`)
            .set('Authorization', admin);
          expect(res.status).toBe(200);
          const stages = res.body.stages as Stage[];
          expect(res.body.total_sessions).toBe(oracle.total);
          expect(res.body.completed_sessions).toBe(oracle.completed);
          expect(res.body.abandoned_sessions).toBe(oracle.abandoned);
          expect(stages.map((s) => s.count)).toEqual(oracle.counts);
          expect(stages.map((s) => s.drop_off_count)).toEqual(oracle.dropOffs);
          expect(stages.map((s) => s.in_progress)).toEqual(oracle.inProgress);
          expect(res.body.in_progress_sessions).toBe(oracle.inProgress.reduce((a, b) => a + b, 0));
          stages.slice(1, 1 + steps.length).forEach((s, i) => {
            withinBucketError(s.median_time_in_stage_seconds, oracle.medians[i]);
            withinBucketError(s.p90_time_in_stage_seconds, oracle.p90s[i]);
          });
          if (oracle.medianCompletionSeconds !== null)
            // Minutes with two decimals (±0.005 of rounding), from the completion-time histogram.
            expect(
              Math.abs(
                res.body.median_completion_time_minutes - oracle.medianCompletionSeconds / 60,
              ),
            ).toBeLessThanOrEqual(
              (histogramRelativeError * oracle.medianCompletionSeconds) / 60 + 0.005 + 1e-9,
            );

          // The invariants of the definition.
          stages.forEach((s, i) => {
            const next = stages[i + 1];
            if (next) {
              expect(next.count).toBeLessThanOrEqual(s.count);
              // What leaves a stage either ended there or is still running there.
              expect(s.count - next.count).toBe(s.drop_off_count + s.in_progress);
            }
            expect(s.drop_off_count).toBeGreaterThanOrEqual(0);
            for (const rate of [s.conversion_rate, s.step_conversion_rate, s.drop_off_rate]) {
              expect(rate).toBeGreaterThanOrEqual(0);
              expect(rate).toBeLessThanOrEqual(100);
            }
          });
          expect(res.body.overall_conversion_rate).toBeLessThanOrEqual(100);
          // top_drop_off_points: exactly the stages' own numbers.
          const top = res.body.top_drop_off_points as { stage: string; count: number }[];
          const byStage = new Map(stages.map((s) => [s.stage, s.drop_off_count]));
          for (const d of top) expect(d.count).toBe(byStage.get(d.stage));
          expect(top.map((d) => d.count)).toEqual(
            stages
              .map((s) => s.drop_off_count)
              .filter((n) => n > 0)
              .sort((a, b) => b - a)
              .slice(0, 5),
          );
        }
      }),
      { numRuns: 25 },
    );
  });
});
