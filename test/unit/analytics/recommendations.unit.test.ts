import type { StageRow } from '../../../projections/sessionSummary/funnelQueries';
import { recommend } from '../../../services/analytics/recommendations';
import { stageRow } from '../../support/builders/stageRow';

const row = (index: number, over: Partial<StageRow>): StageRow =>
  stageRow(index, { reached: 100, medianSeconds: 10, p90Seconds: 20, ...over });

describe('recommendations from data', () => {
  const steps = ['a', 'b'];

  it("names the slowest step when Mood's median test says it is slower than the others", () => {
    // Step b: median 300 s, 80 of 100 timed sessions above the pooled median; step a: 20 of 100.
    const timing = (i: number, median: number, above: number) =>
      row(i, {
        medianSeconds: median,
        timed: 100,
        abovePooledMedian: above,
        pooledMedianSeconds: 120,
      });
    const recs = recommend({
      steps,
      stages: [timing(0, 60, 20), timing(1, 300, 80)],
      totals: {
        total: 100,
        completed: 100,
        avgSeconds: 1,
        medianSeconds: 1,
        droppedAtStart: 0,
        inProgressAtStart: 0,
      },
    });
    const slow = recs.find((r) => r.type === 'slowest_step');
    expect(slow?.stage).toBe('b');
    expect(slow?.evidence).toMatchObject({
      above_pooled_median: 80,
      others_above_pooled_median: 20,
    });
    // z for 0.8 vs 0.2 with n = 100 each: pooled 0.5, se = sqrt(0.25 * 0.02) = 0.0707, z = 8.49.
    expect(slow?.confidence).toBeGreaterThan(0.999999);
    // Equal shares: no evidence that it is slower, so no recommendation.
    const even = recommend({
      steps,
      stages: [timing(0, 60, 50), timing(1, 61, 50)],
      totals: {
        total: 100,
        completed: 100,
        avgSeconds: 1,
        medianSeconds: 1,
        droppedAtStart: 0,
        inProgressAtStart: 0,
      },
    });
    expect(even.find((r) => r.type === 'slowest_step')).toBeUndefined();
  });

  it('flags rate-limit refusals that go with drop-off', () => {
    // At step b: 12 of 15 sessions refused by a rate limit dropped there, 8 of 145 others did.
    const stages = [
      row(0, { reached: 200, droppedHere: 40 }),
      row(1, {
        reached: 160,
        droppedHere: 20,
        droppedWithRateLimits: 12,
        reachedWithRateLimits: 15,
      }),
    ];
    const recs = recommend({
      steps,
      stages,
      totals: {
        total: 200,
        completed: 140,
        avgSeconds: 1,
        medianSeconds: 1,
        droppedAtStart: 0,
        inProgressAtStart: 0,
      },
    });
    const limited = recs.find((r) => r.type === 'rate_limits_with_drop_off');
    expect(limited?.stage).toBe('b');
    expect(limited?.evidence.odds_ratio).toBeCloseTo((12 * 137) / (3 * 8), 6);
    expect(limited?.confidence).toBeGreaterThan(0.99);
  });

  it('flags upload rejections that go with drop-off, with the odds ratio as evidence', () => {
    // At step a: 30 of 40 sessions with rejections dropped, 10 of 160 without.
    const stages = [
      row(0, {
        reached: 200,
        droppedHere: 40,
        droppedWithRejections: 30,
        reachedWithRejections: 40,
      }),
      row(1, { reached: 160 }),
    ];
    const recs = recommend({
      steps,
      stages,
      totals: {
        total: 200,
        completed: 160,
        avgSeconds: 1,
        medianSeconds: 1,
        droppedAtStart: 0,
        inProgressAtStart: 0,
      },
    });
    const rejection = recs.find((r) => r.type === 'upload_rejections_with_drop_off');
    expect(rejection?.stage).toBe('a');
    expect(rejection?.evidence.odds_ratio).toBeCloseTo((30 * 150) / (10 * 10), 6);
    expect(rejection?.confidence).toBeGreaterThan(0.999);
    expect(recs.find((r) => r.type === 'errors_with_drop_off')).toBeUndefined();
  });

  it('reports a significant change against the previous period, and nothing for no change', () => {
    const stages = [row(0, {}), row(1, {})];
    const totals = {
      total: 500,
      completed: 150,
      avgSeconds: 1,
      medianSeconds: 1,
      droppedAtStart: 0,
      inProgressAtStart: 0,
    };
    const fell = recommend({ steps, stages, totals, previous: { ...totals, completed: 250 } });
    expect(fell.find((r) => r.type === 'period_change')?.message).toContain(
      'fell from 50.0% to 30.0%',
    );
    const same = recommend({ steps, stages, totals, previous: totals });
    expect(same.find((r) => r.type === 'period_change')).toBeUndefined();
    expect(
      recommend({ steps, stages, totals, previous: { ...totals, completed: 250 } }, 1.01),
    ).toEqual([]);
  });
});
