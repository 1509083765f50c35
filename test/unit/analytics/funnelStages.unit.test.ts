import { stageRow } from '../../support/builders/stageRow';
import { funnelBody, funnelStages, topDropOffPoints } from '../../../services/analytics/funnel';
import { minutes, pct, points } from '../../../services/analytics/rates';

/** The funnel's stage arithmetic on hand-built data; every expected figure worked by hand. */
const row = stageRow;

// 100 started: 5 dropped and 5 running before a; 90 reached a (20 dropped, 10 running there);
// 60 reached b (15 dropped, 5 running); 40 completed. 100 − 90 = 5 + 5, 90 − 60 = 20 + 10,
// 60 − 40 = 15 + 5.
const data = {
  totals: {
    total: 100,
    completed: 40,
    avgSeconds: 90,
    medianSeconds: 45,
    droppedAtStart: 5,
    inProgressAtStart: 5,
  },
  stageRows: [
    row(0, {
      reached: 90,
      droppedHere: 20,
      inProgressHere: 10,
      medianSeconds: 12,
      p90Seconds: 30,
      errors: 3,
      uploadRejections: 4,
      rateLimitHits: 6,
    }),
    row(1, { reached: 60, droppedHere: 15, inProgressHere: 5, medianSeconds: 7, p90Seconds: 9 }),
  ],
};

const none = {
  median_time_in_stage_seconds: null,
  p90_time_in_stage_seconds: null,
  errors: 0,
  upload_rejections: 0,
  rate_limit_hits: 0,
};

describe('funnel stages', () => {
  it('counts, rates and drop-offs per stage', () => {
    expect(funnelStages(['a', 'b'], data)).toEqual([
      {
        stage: 'started',
        count: 100,
        conversion_rate: 100,
        step_conversion_rate: 100,
        drop_off_count: 5,
        drop_off_rate: 5,
        in_progress: 5,
        ...none,
      },
      {
        stage: 'a',
        count: 90,
        conversion_rate: 90,
        step_conversion_rate: 90,
        drop_off_count: 20,
        drop_off_rate: 22.22,
        in_progress: 10,
        median_time_in_stage_seconds: 12,
        p90_time_in_stage_seconds: 30,
        errors: 3,
        upload_rejections: 4,
        rate_limit_hits: 6,
      },
      {
        stage: 'b',
        count: 60,
        conversion_rate: 60,
        step_conversion_rate: 66.67,
        drop_off_count: 15,
        drop_off_rate: 25,
        in_progress: 5,
        median_time_in_stage_seconds: 7,
        p90_time_in_stage_seconds: 9,
        errors: 0,
        upload_rejections: 0,
        rate_limit_hits: 0,
      },
      {
        stage: 'completed',
        count: 40,
        conversion_rate: 40,
        step_conversion_rate: 66.67,
        drop_off_count: 0,
        drop_off_rate: 0,
        in_progress: 0,
        ...none,
      },
    ]);
  });

  it('no sessions: zero rates, not NaN', () => {
    const empty = funnelStages(['a'], {
      totals: { ...data.totals, total: 0, completed: 0, droppedAtStart: 0, inProgressAtStart: 0 },
      stageRows: [row(0, {})],
    });
    expect(empty.map((s) => [s.count, s.conversion_rate, s.step_conversion_rate])).toEqual([
      [0, 0, 100],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('top drop-off points: the five largest, with their share of all drop-offs', () => {
    expect(topDropOffPoints(funnelStages(['a', 'b'], data))).toEqual([
      { stage: 'a', count: 20, share_of_drop_offs: 50 },
      { stage: 'b', count: 15, share_of_drop_offs: 37.5 },
      { stage: 'started', count: 5, share_of_drop_offs: 12.5 },
    ]);
    const six = [1, 6, 2, 5, 3, 4, 0].map((n, i) => ({ stage: `s${i}`, drop_off_count: n }));
    // 21 dropped in all; s0 (1) is the sixth and left out, s6 (0) is not a drop-off point
    expect(topDropOffPoints(six)).toEqual([
      { stage: 's1', count: 6, share_of_drop_offs: 28.57 },
      { stage: 's3', count: 5, share_of_drop_offs: 23.81 },
      { stage: 's5', count: 4, share_of_drop_offs: 19.05 },
      { stage: 's4', count: 3, share_of_drop_offs: 14.29 },
      { stage: 's2', count: 2, share_of_drop_offs: 9.52 },
    ]);
  });

  it('the body: totals, running sessions over every stage, times in minutes', () => {
    const body = funnelBody(['a', 'b'], data);
    expect(body).toMatchObject({
      total_sessions: 100,
      completed_sessions: 40,
      // 5 before a, 10 in a, 5 in b
      in_progress_sessions: 20,
      overall_conversion_rate: 40,
      avg_completion_time_minutes: 1.5,
      median_completion_time_minutes: 0.75,
    });
    expect(body.stages).toHaveLength(4);
    expect(body.top_drop_off_points).toHaveLength(3);
    expect(Array.isArray(body.recommendations)).toBe(true);
  });
});

describe('rates', () => {
  it('percentages with two decimals, 0 of nothing', () => {
    expect(pct(1, 3)).toBe(33.33);
    expect(pct(2, 3)).toBe(66.67);
    expect(pct(3, 3)).toBe(100);
    expect(pct(5, 0)).toBe(0);
  });

  it('percentage points and minutes with two decimals', () => {
    expect(points(66.67, 33.33)).toBe(33.34);
    expect(points(10, 12.5)).toBe(-2.5);
    expect(minutes(null)).toBeNull();
    expect(minutes(90)).toBe(1.5);
    expect(minutes(100)).toBe(1.67);
    expect(minutes(0)).toBe(0);
  });
});
