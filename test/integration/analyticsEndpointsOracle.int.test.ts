import fc from 'fast-check';
import request from 'supertest';
import { createInMemoryEventStore } from '../../infra/eventStore/inMemoryEventStore';
import { testLiveProjection } from '../support/liveProjection';
import { iso, now, projectGenerated, sessionArb, steps } from '../support/analyticsHistories';
import { bearer, buildTestApp } from '../support/apiHarness';
import {
  oracleCohorts,
  oracleHeatmap,
  oracleStartWeeks,
  oracleWeekCompletionMinutes,
  oracleTotals,
  oracleWindow,
  plainSessions,
} from '../support/endpointOracles';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const day = 86_400_000;
/** The documented rate unit: a percentage with two decimals. */
const pct = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((10_000 * part) / whole) / 100;

/**
 * Every analytics endpoint besides the funnel (which has its own oracle test) against a plain
 * computation over the raw events, on generated histories, with the API's clock fixed at `now`.
 */
describe('analytics oracle: heatmap, cohorts, comparison, realtime, cohort trends', () => {
  let db: TestDatabase;
  const projection = testLiveProjection();
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('holds for generated session histories', async () => {
    const { app } = buildTestApp(createInMemoryEventStore(), {
      sql: db.sql,
      clock: () => new Date(now),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(sessionArb, { minLength: 1, maxLength: 40 }), async (generated) => {
        const { tenantId, histories } = await projectGenerated(db.sql, projection, generated);
        const sessions = plainSessions(histories.map((h) => h.events));
        const admin = await bearer('admin', tenantId, 'analyst');
        const get = async (path: string) => {
          const res = await request(app)
            .get(`/api/v1/onboarding/${path}`)
            .set('Authorization', admin);
          expect(res.status).toBe(200);
          return res.body as Record<string, unknown>;
        };
        const from = now - 30 * day;
        const period = `start_date=${iso(from)}&end_date=${iso(now + 1)}`;

        const heatmap = await get(`analytics/drop-off-heatmap/?${period}&granularity=daily`);
        const expectedHeatmap = oracleHeatmap(sessions, { from, to: now + 1 }, steps.length);
        expect(heatmap.buckets).toEqual([...expectedHeatmap.keys()]);
        expect(heatmap.matrix).toEqual([...expectedHeatmap.values()]);

        for (const by of ['channel', 'language'] as const) {
          const body = await get(`analytics/cohort-comparison/?${period}&cohort_by=${by}`);
          const cohorts = body.cohorts as {
            cohort: string;
            sessions: number;
            completed: number;
            conversion_rate: number;
          }[];
          const expected = oracleCohorts(sessions, { from, to: now + 1 }, by);
          expect(
            Object.fromEntries(
              cohorts.map((c) => [c.cohort, { total: c.sessions, completed: c.completed }]),
            ),
          ).toEqual(expected);
          for (const c of cohorts)
            expect(c.conversion_rate).toBe(pct(expected[c.cohort]?.completed ?? -1, c.sessions));
        }

        const comparison = await get(`analytics/comparison/?period_days=7&end_date=${iso(now)}`);
        const current = oracleTotals(sessions, now - 7 * day, now);
        const previous = oracleTotals(sessions, now - 14 * day, now - 7 * day);
        expect(comparison.current_period).toMatchObject({
          sessions: current.total,
          completed: current.completed,
        });
        expect(comparison.previous_period).toMatchObject({
          sessions: previous.total,
          completed: previous.completed,
        });
        expect((comparison.changes as { sessions: number }).sessions).toBe(
          current.total - previous.total,
        );
        // Percentages, and the change in percentage points.
        const [rateNow, rateBefore] = [
          pct(current.completed, current.total),
          pct(previous.completed, previous.total),
        ];
        expect(comparison.current_period).toMatchObject({ conversion_rate: rateNow });
        expect(comparison.previous_period).toMatchObject({ conversion_rate: rateBefore });
        expect((comparison.changes as { conversion_rate: number }).conversion_rate).toBeCloseTo(
          rateNow - rateBefore,
          6,
        );

        const realtime = await get('analytics/realtime/?time_range_hours=72');
        const window = oracleWindow(sessions, now - 72 * 3_600_000);
        expect(realtime).toMatchObject({
          started_sessions: window.started,
          completed_sessions: window.completed,
          active_sessions: window.active,
          // recent_errors is the documented list; Waymark's count moved to recent_errors_count.
          recent_errors_count: window.errors,
          sessions_started_last_hour: window.started,
          sessions_completed_last_hour: window.completed,
        });
        const errorSessions = realtime.recent_errors as {
          session_id: string;
          error_count: number;
        }[];
        expect(errorSessions.length).toBe(
          Math.min(
            20,
            sessions.filter((s) => s.errors > 0 && s.lastActivity >= now - 72 * 3_600_000).length,
          ),
        );
        expect(errorSessions.every((e) => e.error_count > 0)).toBe(true);

        const trends = await get(`dashboard/cohort-trends/?${period}&cohort_type=weekly`);
        const weeks = trends.cohorts as {
          start_date: string;
          total_sessions: number;
          completed_sessions: number;
          conversion_rate: number;
          avg_completion_time_minutes: number | null;
        }[];
        for (const w of weeks)
          expect(w.conversion_rate).toBe(pct(w.completed_sessions, w.total_sessions));
        expect(
          weeks.map((w) => [
            w.start_date,
            { total: w.total_sessions, completed: w.completed_sessions },
          ]),
        ).toEqual(oracleStartWeeks(sessions, from, now + 1));
        const took = oracleWeekCompletionMinutes(sessions, from, now + 1);
        for (const w of weeks) {
          const expected = took.get(w.start_date) ?? null;
          if (expected === null) expect(w.avg_completion_time_minutes).toBeNull();
          // Rounded to 0.01 min by the API; the sums are added in another order here.
          else
            expect(Math.abs((w.avg_completion_time_minutes ?? NaN) - expected)).toBeLessThanOrEqual(
              0.0051,
            );
        }
      }),
      { numRuns: 25 },
    );
  });
});
