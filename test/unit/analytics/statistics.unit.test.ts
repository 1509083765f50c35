import {
  normalCdf,
  oddsRatio,
  twoProportionZTest,
  wilson,
} from '../../../services/analytics/statistics';

describe('statistics', () => {
  it('normal CDF matches tabulated values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
  });

  it('two-proportion z-test: a textbook case, no change, and empty samples', () => {
    // 45/100 vs 30/100: z ≈ 2.19, p ≈ 0.028 (pooled).
    const t = twoProportionZTest(45, 100, 30, 100);
    expect(t.z).toBeCloseTo(2.1909, 3);
    expect(t.pValue).toBeCloseTo(0.0285, 3);
    expect(twoProportionZTest(30, 100, 30, 100).pValue).toBeCloseTo(1, 6);
    expect(twoProportionZTest(1, 0, 3, 10)).toEqual({ z: null, pValue: null });
    expect(twoProportionZTest(0, 10, 0, 10)).toEqual({ z: null, pValue: null });
  });

  it('Wilson interval: 8/10 → [0.490, 0.943]', () => {
    const [lo, hi] = wilson(8, 10);
    expect(lo).toBeCloseTo(0.4902, 3);
    expect(hi).toBeCloseTo(0.9433, 3);
  });

  it('odds ratio with Woolf interval: (20, 80, 10, 90) → 2.25 [0.994, 5.091] (se of log OR = 0.4167)', () => {
    const or = oddsRatio(20, 80, 10, 90);
    expect(or?.ratio).toBeCloseTo(2.25, 4);
    expect(or?.low).toBeCloseTo(0.9943, 3);
    expect(or?.high).toBeCloseTo(5.0914, 3);
    expect(oddsRatio(0, 0, 1, 1)).toBeNull();
  });
});
