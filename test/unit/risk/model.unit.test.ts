import fc from 'fast-check';
import { fold, type SessionState } from '../../../events/onboarding/state';
import { assessRisk, riskLevelOf } from '../../../services/risk/assess';
import {
  averagePrecision,
  bestThreshold,
  calibration,
  f1At,
  rocAuc,
} from '../../../services/risk/evaluation';
import { fitLogistic, predict } from '../../../services/risk/logisticRegression';
import { at, sessionStarted } from '../../support/builders/onboarding';

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
