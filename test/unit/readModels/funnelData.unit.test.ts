import { funnelDataOf } from '../../../projections/funnel/funnelData';
import {
  histogramAbove,
  histogramCount,
  histogramPercentile,
} from '../../../projections/funnel/timeHistogram';

/**
 * A period's merged counts back to the funnel's totals and stage rows. Bucket k stands for
 * 1 ms · 2^((k + 0.5) / 16): 160 → 1.0464227 s, 176 → 2.0928454 s (by calculator).
 */
const b160 = 1.0464226802218155;
const b176 = 2.092845360443631;

describe('funnel data from merged counts', () => {
  it('maps every key to its field', () => {
    const counts = {
      started: 10,
      completed: 4,
      completion_ms: 400_000,
      'ct.z': 1,
      'ct.160': 3,
      dropped_start: 2,
      running_start: 1,
      'reached_nc.0': 5,
      'reached_nc.1': 3,
      'dropped.0': 2,
      'dropped.1': 1,
      'running.0': 1,
      'running.1': 2,
      't.0.z': 1,
      't.0.160': 2,
      't.1.176': 1,
      'errors.0': 7,
      'rejects.0': 8,
      'limited.0': 9,
      'dropped_err.0': 11,
      'reached_err.0': 12,
      'dropped_rej.0': 13,
      'reached_rej.0': 14,
      'dropped_lim.0': 15,
      'reached_lim.0': 16,
    };
    const { totals, stageRows, abandoned } = funnelDataOf({ ...counts, abandoned: 6 }, 2);
    expect(abandoned).toBe(6);
    expect(totals.total).toBe(10);
    expect(totals.completed).toBe(4);
    // 400 s over the 4 timed completions
    expect(totals.avgSeconds).toBe(100);
    // ranks 1 and 2 (0-based) of {0, b160, b160, b160}: both b160
    expect(totals.medianSeconds).toBeCloseTo(b160, 12);
    expect(totals.droppedAtStart).toBe(2);
    expect(totals.inProgressAtStart).toBe(1);
    expect(stageRows).toHaveLength(2);
    const [first, second] = stageRows;
    expect(first).toEqual({
      index: 0,
      reached: 9,
      droppedHere: 2,
      inProgressHere: 1,
      medianSeconds: expect.any(Number),
      p90Seconds: expect.any(Number),
      timed: 3,
      // pooled {0, b160, b160, b176}: median = b160; nothing of step 0 is above it
      abovePooledMedian: 0,
      pooledMedianSeconds: expect.any(Number),
      errors: 7,
      uploadRejections: 8,
      droppedWithErrors: 11,
      reachedWithErrors: 12,
      droppedWithRejections: 13,
      reachedWithRejections: 14,
      rateLimitHits: 9,
      droppedWithRateLimits: 15,
      reachedWithRateLimits: 16,
    });
    expect(first?.medianSeconds).toBeCloseTo(b160, 12);
    expect(first?.p90Seconds).toBeCloseTo(b160, 12);
    expect(first?.pooledMedianSeconds).toBeCloseTo(b160, 12);
    expect(second).toMatchObject({
      index: 1,
      reached: 7,
      droppedHere: 1,
      inProgressHere: 2,
      timed: 1,
      abovePooledMedian: 1,
      errors: 0,
      rateLimitHits: 0,
    });
    expect(second?.medianSeconds).toBeCloseTo(b176, 12);
  });

  it('an empty period: zeros, and no times', () => {
    const { totals, stageRows } = funnelDataOf({}, 1);
    expect(totals).toEqual({
      total: 0,
      completed: 0,
      avgSeconds: null,
      medianSeconds: null,
      droppedAtStart: 0,
      inProgressAtStart: 0,
    });
    expect(stageRows[0]).toMatchObject({
      reached: 0,
      timed: 0,
      medianSeconds: null,
      p90Seconds: null,
      abovePooledMedian: 0,
      pooledMedianSeconds: null,
    });
  });

  it('a step’s histogram is its own: t.1. does not take t.10. or ct.', () => {
    const rows = funnelDataOf({ 't.10.176': 5, 'ct.176': 2, 't.1.160': 1 }, 2).stageRows;
    expect(rows[1]?.timed).toBe(1);
    expect(rows[0]?.timed).toBe(0);
  });
});

describe('time histogram counts', () => {
  it('counts only positive entries and interpolates between ranks', () => {
    expect(histogramCount({ z: 2, '160': 3, '176': -1 })).toBe(5);
    // p = 0.5 of {b160, b176}: halfway between them
    expect(histogramPercentile({ '160': 1, '176': 1 }, 0.5)).toBeCloseTo((b160 + b176) / 2, 12);
    // p = 0.25 of {b160, b176}: a quarter of the way
    expect(histogramPercentile({ '160': 1, '176': 1 }, 0.25)).toBeCloseTo(
      b160 + (b176 - b160) / 4,
      12,
    );
    expect(histogramPercentile({ '176': 1, '160': 0 }, 0)).toBeCloseTo(b176, 12);
    expect(histogramPercentile({ '160': 2, '176': 1 }, 1)).toBeCloseTo(b176, 12);
  });

  it('counts the values above a threshold', () => {
    expect(histogramAbove({ z: 4, '160': 2, '176': 3 }, 1)).toBe(5);
    expect(histogramAbove({ z: 4, '160': 2, '176': 3 }, b160)).toBe(3);
    expect(histogramAbove({ z: 4, '160': 2, '176': 3 }, 0)).toBe(5);
    expect(histogramAbove({ z: 4, '176': 0 }, -1)).toBe(4);
  });
});
