import fc from 'fast-check';
import {
  averagePrecision,
  bestThreshold,
  calibration,
  evaluate,
  f1At,
  rocAuc,
} from '../../../services/risk/evaluation';

describe('evaluation metrics', () => {
  it('ROC-AUC: 1 when ranked perfectly, 0 reversed, 0.5 all tied; equals the pair count', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5], [0, 1, 1])).toBe(0.5);
    expect(rocAuc([0.5, 0.5], [1, 1])).toBeNull();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 2 }),
        (pairs) => {
          const scores = pairs.map(([s]) => s);
          const labels = pairs.map(([, y]) => (y ? 1 : 0));
          const pos = scores.filter((_, i) => labels[i] === 1);
          const neg = scores.filter((_, i) => labels[i] === 0);
          if (pos.length === 0 || neg.length === 0) return;
          let wins = 0;
          for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
          expect(rocAuc(scores, labels)).toBeCloseTo(wins / (pos.length * neg.length), 10);
        },
      ),
    );
  });

  it('average precision, F1 and calibration on a worked example', () => {
    // Ranked: 0.9 (pos), 0.7 (neg), 0.6 (pos), 0.2 (neg): AP = (1/2)(1/1) + (1/2)(2/3).
    expect(averagePrecision([0.9, 0.7, 0.6, 0.2], [1, 0, 1, 0])).toBeCloseTo(0.5 + 1 / 3, 10);
    expect(f1At([0.9, 0.7, 0.6, 0.2], [1, 0, 1, 0], 0.5)).toEqual({
      f1: 0.8,
      precision: 2 / 3,
      recall: 1,
    });
    expect(bestThreshold([0.9, 0.7, 0.6, 0.2], [1, 0, 1, 0])).toBeLessThanOrEqual(0.6);
    const table = calibration([0.05, 0.07, 0.95], [0, 1, 1]);
    expect(table[0]).toMatchObject({ bin: '0.0-0.1', count: 2, observed_rate: 0.5 });
    expect(table[0]?.mean_predicted).toBeCloseTo(0.06, 10);
    expect(table[9]).toMatchObject({ count: 1, observed_rate: 1 });
  });
});

describe('evaluation metrics: edges, worked by hand', () => {
  it('refuses a NaN score instead of looping on a tie that never ends', () => {
    expect(() => rocAuc([Number.NaN, 0.5], [1, 0])).toThrow('a score is NaN');
    expect(() => averagePrecision([0.5, Number.NaN], [1, 0])).toThrow('a score is NaN');
  });

  it('ROC-AUC has no value without negatives either', () => {
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNull();
  });

  it('average precision ranks unsorted input, counts only positives, and has no value without them', () => {
    // The same four sessions in another order: ranked 0.9 (pos), 0.7 (neg), 0.6 (pos), 0.2 (neg).
    expect(averagePrecision([0.2, 0.6, 0.9, 0.7], [0, 1, 1, 0])).toBeCloseTo(0.5 + 1 / 3, 10);
    // One positive of three, ranked second: AP = precision there = 1/2.
    expect(averagePrecision([0.9, 0.5, 0.1], [0, 1, 0])).toBeCloseTo(0.5, 10);
    expect(averagePrecision([0.9, 0.1], [0, 0])).toBeNull();
  });

  it('F1: a score at the threshold is predicted positive; misses lower the recall', () => {
    // Predicted 0.9 (pos, tp) and 0.5 (neg, fp, at the threshold); missed 0.4 (pos, fn).
    // precision = 1/2, recall = 1/2, F1 = 2 · ¼ / 1 = 1/2.
    expect(f1At([0.9, 0.5, 0.4, 0.1], [1, 0, 1, 0], 0.5)).toEqual({
      f1: 0.5,
      precision: 0.5,
      recall: 0.5,
    });
  });

  it('F1: nothing predicted, or nothing to find, is 0 (not NaN)', () => {
    expect(f1At([0.1, 0.2], [1, 0], 0.5)).toEqual({ f1: 0, precision: 0, recall: 0 });
    expect(f1At([0.9, 0.1], [0, 0], 0.5)).toEqual({ f1: 0, precision: 0, recall: 0 });
  });

  it('best threshold: the first of the grid 0.02, 0.03, … with the highest F1', () => {
    // Scores 0.9 (pos), 0.705 (neg), 0.555 (pos), 0.235 (neg), off the grid (its points are sums of
    // 0.01 and not exact): F1 = 2/3 up to 0.23 (all predicted), 0.8 from 0.24 to 0.55 (three
    // predicted, both positives), 1/2 from 0.56 to 0.70, 2/3 from 0.71 to 0.90.
    expect(bestThreshold([0.9, 0.705, 0.555, 0.235], [1, 0, 1, 0])).toBe(0.24);
  });

  it('calibration: a score on a bin edge falls in the upper bin, 1.0 in the last, empty bins are null', () => {
    const table = calibration([0.3, 0.5, 1], [0, 1, 1]);
    expect(table.map((b) => b.count)).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0, 1]);
    expect(table[3]).toEqual({ bin: '0.3-0.4', count: 1, mean_predicted: 0.3, observed_rate: 0 });
    expect(table[5]).toMatchObject({ bin: '0.5-0.6', mean_predicted: 0.5, observed_rate: 1 });
    expect(table[9]).toMatchObject({ bin: '0.9-1.0', mean_predicted: 1, observed_rate: 1 });
    expect(table[0]).toEqual({
      bin: '0.0-0.1',
      count: 0,
      mean_predicted: null,
      observed_rate: null,
    });
  });

  it('evaluate: the metrics of the worked example, rounded to four decimals', () => {
    // Pairs (pos, neg): 0.9 beats 0.7 and 0.2, 0.6 beats 0.2 but not 0.7: ROC-AUC = 3/4.
    // AP = 5/6 = 0.8333; at 0.5: precision 2/3 = 0.6667, recall 1, F1 0.8.
    expect(evaluate([0.9, 0.7, 0.6, 0.2], [1, 0, 1, 0], 0.5)).toEqual({
      roc_auc: 0.75,
      pr_auc: 0.8333,
      f1_minority: 0.8,
      precision: 0.6667,
      recall: 1,
      threshold: 0.5,
    });
    // No positives: no ROC-AUC and no AP (null, not 0).
    expect(evaluate([0.9, 0.1], [0, 0], 0.5)).toMatchObject({ roc_auc: null, pr_auc: null });
  });
});
