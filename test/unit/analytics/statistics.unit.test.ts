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
    expect(twoProportionZTest(3, 10, 1, 0)).toEqual({ z: null, pValue: null });
    expect(twoProportionZTest(0, 10, 0, 10)).toEqual({ z: null, pValue: null });
  });

  it('Wilson interval: 8/10 → [0.490, 0.943]', () => {
    const [lo, hi] = wilson(8, 10);
    expect(lo).toBeCloseTo(0.4902, 3);
    expect(hi).toBeCloseTo(0.9433, 3);
    // No sessions: nothing is known about the rate, the whole range.
    expect(wilson(0, 0)).toEqual([0, 1]);
  });

  it('odds ratio with Woolf interval: (20, 80, 10, 90) → 2.25 [0.994, 5.091] (se of log OR = 0.4167)', () => {
    const or = oddsRatio(20, 80, 10, 90);
    expect(or?.ratio).toBeCloseTo(2.25, 4);
    expect(or?.low).toBeCloseTo(0.9943, 3);
    expect(or?.high).toBeCloseTo(5.0914, 3);
    // log 2.25 / 0.4167 = 1.9462, p = 2(1 − Φ(1.9462)) = 0.0516
    expect(or?.pValue).toBeCloseTo(0.0516, 4);
    expect(oddsRatio(0, 0, 1, 1)).toBeNull();
    expect(oddsRatio(1, 1, 0, 0)).toBeNull();
  });

  it('odds ratio: a group of equal cells is not an empty group', () => {
    // (5, 5, 2, 8): 5·8 / (5·2) = 4; (2, 8, 5, 5): 2·5 / (8·5) = 0.25.
    expect(oddsRatio(5, 5, 2, 8)?.ratio).toBeCloseTo(4, 10);
    expect(oddsRatio(2, 8, 5, 5)?.ratio).toBeCloseTo(0.25, 10);
  });

  it('odds ratio: Haldane–Anscombe adds 0.5 to every cell when any cell is empty', () => {
    // (2, 0, 4, 4) → (2.5, 0.5, 4.5, 4.5): OR = 2.5·4.5 / (0.5·4.5) = 5,
    // se = √(1/2.5 + 1/0.5 + 2/4.5) = √2.84444 = 1.68655, 5·e^(∓1.959964·1.68655) = [0.1834, 136.32],
    // p = 2(1 − Φ(ln 5 / 1.68655 = 0.95427)) = 0.3399. The other zero cells mirror it.
    const want = { ratio: 5, low: 0.18339, high: 136.3209, pValue: 0.33994 };
    for (const [a, b, c, d] of [
      [2, 0, 4, 4],
      [4, 4, 0, 2],
    ] as const) {
      const or = oddsRatio(a, b, c, d);
      expect(or?.ratio).toBeCloseTo(want.ratio, 10);
      expect(or?.low).toBeCloseTo(want.low, 4);
      expect(or?.high).toBeCloseTo(want.high, 3);
      expect(or?.pValue).toBeCloseTo(want.pValue, 4);
    }
    // (4, 2, 4, 0) → (4.5, 2.5, 4.5, 0.5): OR = 4.5·0.5 / (2.5·4.5) = 1/5, interval [1/136.32, 1/0.1834].
    const d0 = oddsRatio(4, 2, 4, 0);
    expect(d0?.ratio).toBeCloseTo(0.2, 10);
    expect(d0?.low).toBeCloseTo(1 / want.high, 6);
    expect(d0?.high).toBeCloseTo(1 / want.low, 3);
    expect(d0?.pValue).toBeCloseTo(want.pValue, 4);
  });
});
