import { fold, type SessionState } from '../../../events/onboarding/state';
import { assessRisk, riskLevelOf } from '../../../services/risk/assess';
import { rocAuc } from '../../../services/risk/evaluation';
import { contributions, fitLogistic, predict } from '../../../services/risk/logisticRegression';
import { at, sessionStarted } from '../../support/builders/onboarding';

describe('logistic regression', () => {
  it('recovers the signs and order of known coefficients and ranks well', () => {
    // A fixed pseudo-random sample: y ~ Bernoulli(sigmoid(2 x0 - 1 x1 + 0 x2)).
    let seed = 42;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 3000; i += 1) {
      const x = [rand() * 4 - 2, rand() * 4 - 2, rand() * 4 - 2];
      const p = 1 / (1 + Math.exp(-(2 * (x[0] ?? 0) - (x[1] ?? 0))));
      rows.push(x);
      labels.push(rand() < p ? 1 : 0);
    }
    const model = fitLogistic(rows, labels, 0.01);
    const [w0 = 0, w1 = 0, w2 = 0] = model.weights.map((w, j) => w / (model.scales[j] ?? 1));
    expect(w0).toBeCloseTo(2, 0);
    expect(w1).toBeCloseTo(-1, 0);
    expect(Math.abs(w2)).toBeLessThan(0.2);
    expect(
      rocAuc(
        rows.map((r) => predict(model, r)),
        labels,
      ),
    ).toBeGreaterThan(0.8);
  });

  it('gives a constant feature no weight', () => {
    const rows = [
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
    ];
    expect(fitLogistic(rows, [0, 0, 1, 1]).weights[1]).toBe(0);
  });
});

describe('logistic regression, worked by hand', () => {
  // Eight sessions, two features: x1 = 10 ± 2 and x2 = 0.5 ± 0.5, so standardised s1, s2 = ±1
  // (means 10 and 0.5, population standard deviations 2 and 0.5), correlated: Σ s1·s2 / 8 = 1/2.
  // (s1, s2, y): three (1, 1, 1), (1, −1, 0), two (−1, −1, 0), (−1, −1, 1), (−1, 1, 1).
  const rows = [
    [12, 1],
    [12, 1],
    [12, 1],
    [12, 0],
    [8, 0],
    [8, 0],
    [8, 0],
    [8, 1],
  ];
  const labels = [1, 1, 1, 0, 0, 0, 1, 1];
  const std = rows.map(([x1 = 0, x2 = 0]) => [1, (x1 - 10) / 2, (x2 - 0.5) / 0.5]);

  it('standardises each feature by its mean and population standard deviation', () => {
    const model = fitLogistic(rows, labels, 2, 1);
    expect(model.means).toEqual([10, 0.5]);
    expect(model.scales).toEqual([2, 0.5]);
  });

  it('takes exact Newton steps: one step from 0 solves the penalised Hessian against the gradient', () => {
    // At β = 0 every p = ½, weight ¼. Gradient g = Σ (½ − y)·x = (8·(½ − 5/8), −Σ y·s1, −Σ y·s2)
    // = (−1, −1, −3). Hessian = ¼ Σ x xᵀ + l2 on the weights (not the intercept): with l2 = 2,
    // [[2, 0, 0], [0, 4, 1], [0, 1, 4]]. Step = H⁻¹ g: intercept −1/2; [[4, 1], [1, 4]]⁻¹ =
    // [[4, −1], [−1, 4]] / 15, so (−4 + 3, 1 − 12) / 15. β = −step = (1/2, 1/15, 11/15).
    const one = fitLogistic(rows, labels, 2, 1);
    expect(one.intercept).toBeCloseTo(0.5, 12);
    expect(one.weights[0]).toBeCloseTo(1 / 15, 12);
    expect(one.weights[1]).toBeCloseTo(11 / 15, 12);
    // The model predicts from the raw row: contributions are weight × standardised value.
    const [c1, c2] = contributions(one, [12, 0]);
    expect(c1).toBeCloseTo(1 / 15, 12);
    expect(c2).toBeCloseTo(-11 / 15, 12);
    expect(predict(one, [12, 1])).toBeCloseTo(1 / (1 + Math.exp(-(0.5 + 12 / 15))), 12);
  });

  it('converges to the penalised maximum: intercept gradient 0, weight gradient = −l2 · weight', () => {
    // The optimum's conditions, independent of how it is found: Σ (p − y) = 0 (the intercept is
    // not penalised: mean prediction = observed rate 5/8) and Σ (p − y)·s_j + l2·w_j = 0. Default
    // l2 = 1; its first Newton step moves w1 by exactly 0 (g = (−1, −1, −3), H = [[3, 1], [1, 3]]
    // on the weights), so stopping as soon as any one step is small would stop here too early.
    const model = fitLogistic(rows, labels);
    const p = rows.map((r) => predict(model, r));
    const residual = (j: number) =>
      p.reduce((sum, pi, i) => sum + (pi - (labels[i] ?? 0)) * (std[i]?.[j] ?? 0), 0);
    expect(residual(0)).toBeCloseTo(0, 8);
    expect(residual(1) + (model.weights[0] ?? 0)).toBeCloseTo(0, 8);
    expect(residual(2) + (model.weights[1] ?? 0)).toBeCloseTo(0, 8);
    expect(model.weights[1]).toBeGreaterThan(1); // not the first step's (0, 1)
  });

  it('without a penalty, a constant feature gets weight 0 (no division by its zero pivot)', () => {
    // x = 1…4 (mean 2.5), y = 0, 1, 0, 1: fitted, finite; the constant column adds nothing.
    const model = fitLogistic(
      [
        [1, 5],
        [2, 5],
        [3, 5],
        [4, 5],
      ],
      [0, 1, 0, 1],
      0,
    );
    expect(model.weights[1]).toBe(0);
    expect(Number.isFinite(model.weights[0])).toBe(true);
    expect(Number.isFinite(model.intercept)).toBe(true);
  });

  it('an empty training set gives the empty model: no features, p = ½', () => {
    const model = fitLogistic([], []);
    expect(model).toEqual({ means: [], scales: [], weights: [], intercept: 0 });
    expect(predict(model, [])).toBe(0.5);
  });
});

describe('risk assessment', () => {
  const session = (repeats: number, errors: number): SessionState => {
    const s = fold([sessionStarted()]) as SessionState;
    return {
      ...s,
      lastActivityAt: at(0),
      questionsAsked: { q1: repeats + 1 },
      errorCount: errors,
      eventCount: 1,
    };
  };

  it('falls back to the documented rule table: 15 min idle + 4 repeats + 6 errors = 80, critical', () => {
    const a = assessRisk(session(4, 6), Date.parse(at(15 * 60)), null);
    expect(a).toMatchObject({ scorer: 'rules', risk_score: 80, risk_level: 'critical' });
    expect(a.risk_factors[0]).toMatchObject({
      factor: 'inactivity',
      weight: 0.3,
      contribution: 30,
    });
    expect(a.intervention_recommendation).toMatchObject({
      type: 'proactive_reach_out',
      priority: 'immediate',
    });
    expect(assessRisk(session(0, 0), Date.parse(at(60)), null)).toMatchObject({
      risk_score: 0,
      risk_level: 'low',
      intervention_recommendation: { type: 'gentle_nudge' },
    });
  });

  it('uses the documented cut-offs for levels', () => {
    expect([0, 19, 20, 39, 40, 69, 70, 100].map(riskLevelOf)).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
});
