import type { Totals } from '../../../projections/sessionSummary/funnelQueries';
import { holmAdjust, twoProportionZTest } from '../../../services/analytics/statistics';
import { transitionChanges } from '../../../services/analytics/transitionChanges';
import { recommend } from '../../../services/analytics/recommendations';
import { stageRow } from '../../support/builders/stageRow';

const totals = (total: number, completed: number): Totals => ({
  total,
  completed,
  avgSeconds: null,
  medianSeconds: null,
  droppedAtStart: 0,
  inProgressAtStart: 0,
});

const stage = (index: number, reached: number) => stageRow(index, { reached });

const period = (total: number, reached: readonly number[], completed: number) => ({
  totals: totals(total, completed),
  stages: reached.map((r, i) => stage(i, r)),
});

describe('Holm adjustment (worked by hand)', () => {
  it('multiplies the k-th smallest p by m − k + 1 and keeps them monotone', () => {
    // sorted 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → max(0.06, 0.04) = 0.06
    const adjusted = holmAdjust([0.01, 0.04, 0.03]);
    [0.03, 0.06, 0.06].forEach((want, i) => expect(adjusted[i]).toBeCloseTo(want, 12));
    // 0.001·2 = 0.002; 0.2·1 = 0.2; and never above 1
    const two = holmAdjust([0.2, 0.001]);
    expect(two[0]).toBeCloseTo(0.2, 12);
    expect(two[1]).toBeCloseTo(0.002, 12);
    // 0.8·2 = 1.6 → capped at 1; 0.9·1 = 0.9 → monotone: 1
    expect(holmAdjust([0.9, 0.8])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });
});

describe('per-transition continuation changes against the previous period', () => {
  const steps = ['a', 'b'];

  it('names the transition that changed, with both rates and the p-value', () => {
    // started → a: 80/100 both periods (z = 0, p = 1); b → completed: 40/50 = 24/30 = 0.8 (p = 1);
    // a → b: 50/80 now vs 30/80 before: pooled 0.5, se = √(0.25 · 2/80) = 0.0790569,
    // z = 0.25 / 0.0790569 = √10 = 3.1623, p = 2(1 − Φ(3.1623)) = 0.001565; Holm over 3: 0.004696.
    const recs = transitionChanges(steps, period(100, [80, 50], 40), period(100, [80, 30], 24));
    expect(recs).toHaveLength(1);
    const [rec] = recs;
    expect(rec?.type).toBe('transition_change');
    expect(rec?.stage).toBe('a → b');
    expect(rec?.message).toMatch(/^a → b rose from 38% to 63% against the previous period/);
    expect(rec?.evidence.previous_continuation_rate).toBe(37.5);
    expect(rec?.evidence.current_continuation_rate).toBe(62.5);
    expect(rec?.evidence.z).toBeCloseTo(Math.sqrt(10), 6);
    expect(rec?.evidence.p_value).toBeCloseTo(0.001565, 5);
    expect(rec?.evidence.holm_adjusted_p_value).toBeCloseTo(3 * 0.001565, 4);
    expect(rec?.evidence.transitions_tested).toBe(3);
    expect(rec?.confidence).toBeCloseTo(1 - 3 * 0.001565, 4);
  });

  it('a fall is a fall', () => {
    const [rec] = transitionChanges(steps, period(100, [80, 30], 24), period(100, [80, 50], 40));
    expect(rec?.message).toMatch(/^a → b fell from 63% to 38%/);
  });

  it('does not flag a change that is significant alone but not after the correction', () => {
    // a → b: 60/100 vs 45/100: pooled 0.525, se = √(0.525 · 0.475 · 0.02) = 0.070622,
    // z = 2.1240, p = 0.0337 < 0.05 alone; Holm over 3 transitions: 3 · 0.0337 = 0.101 ≥ 0.05.
    const now = period(125, [100, 60], 48);
    const before = period(125, [100, 45], 36);
    expect(twoProportionZTest(60, 100, 45, 100).pValue).toBeCloseTo(0.0337, 4);
    expect(transitionChanges(steps, now, before)).toEqual([]);
  });

  it('skips transitions with fewer than 20 sessions entering in either period', () => {
    expect(transitionChanges(steps, period(19, [19, 19], 0), period(100, [100, 100], 100))).toEqual(
      [],
    );
  });

  it('names the first and last transitions, skips one nobody left, and corrects over those tested', () => {
    // started → a: 60/100 now vs 40/100: pooled 0.5, se = √(0.25 · 0.02) = 0.070711,
    //   z = 0.2 / 0.070711 = 2√2 = 2.8284, p = 2(1 − Φ(2.8284)) = 0.004678;
    // a → b: 60/60 vs 40/40, pooled 1, no variance: not tested;
    // b → completed: 45/60 = 0.75 vs 20/40 = 0.5: pooled 0.65, se = √(0.2275 · (1/60 + 1/40))
    //   = 0.097361, z = 0.25 / 0.097361 = 2.5678, p = 0.010236.
    // Holm over 2: 2 · 0.004678 = 0.009355; max(0.009355, 1 · 0.010236) = 0.010236.
    const recs = transitionChanges(steps, period(100, [60, 60], 45), period(100, [40, 40], 20));
    expect(recs.map((r) => r.stage)).toEqual(['started → a', 'b → completed']);
    const [first, last] = recs;
    expect(first?.message).toMatch(/^started → a rose from 40% to 60% against the previous period/);
    expect(last?.message).toMatch(/^b → completed rose from 50% to 75% against/);
    expect(first?.evidence.p_value).toBeCloseTo(0.004678, 5);
    expect(first?.evidence.holm_adjusted_p_value).toBeCloseTo(2 * 0.004678, 5);
    expect(last?.evidence.z).toBeCloseTo(2.5678, 4);
    expect(last?.evidence.holm_adjusted_p_value).toBeCloseTo(0.010236, 5);
    expect(recs.map((r) => r.evidence.transitions_tested)).toEqual([2, 2]);
    expect(first?.evidence.test).toBe(
      'two-proportion z-test per transition, this period vs the previous one, Holm-corrected over 2 transitions',
    );
  });

  it('tests a transition with exactly 20 sessions entering in both periods', () => {
    // started → a: 20/20 both, no variance; a → completed: 18/20 vs 8/20: pooled 0.65,
    // se = √(0.2275 · 0.1) = 0.150831, z = 0.5 / 0.150831 = 3.3150, p = 0.000917 (alone: Holm = p).
    const recs = transitionChanges(['a'], period(20, [20], 18), period(20, [20], 8));
    expect(recs.map((r) => r.stage)).toEqual(['a → completed']);
    expect(recs[0]?.evidence.holm_adjusted_p_value).toBeCloseTo(0.000917, 5);
  });

  it('skips a transition when only the previous period had fewer than 20 sessions entering', () => {
    // b → completed would be 100/100 vs 0/19 (z = 10.9): not tested, the previous sample is too small.
    expect(transitionChanges(steps, period(100, [100, 100], 100), period(19, [19, 19], 0))).toEqual(
      [],
    );
  });

  it('does not test a transition the previous period did not have (a step added since)', () => {
    // Previous: started → a 80/100, a → (its end) 64/80. Now: started → a 50/100, a → b 40/50,
    // b → completed 20/40. Tested: started → a (50 vs 80 of 100: pooled 0.65, se = 0.067454,
    // z = −0.3 / 0.067454 = −4.4475, p = 8.69e-6) and a → b (0.8 vs 0.8: p = 1); Holm over 2.
    const recs = transitionChanges(steps, period(100, [50, 40], 20), period(100, [80], 64));
    expect(recs).toHaveLength(1);
    expect(recs[0]?.message).toMatch(/^started → a fell from 80% to 50% against/);
    expect(recs[0]?.evidence.transitions_tested).toBe(2);
    expect(recs[0]?.evidence.holm_adjusted_p_value).toBeCloseTo(2 * 8.69e-6, 6);
  });

  it('labels a transition beyond the flow\'s steps "?" (stage rows not in step with the flow)', () => {
    // No step names but two stage rows: transitions started → completed, completed → ?, ? → ?.
    // The last: 60/100 now vs 40/100 before (p = 0.004678 as above); the others do not change.
    const recs = transitionChanges([], period(100, [100, 60], 60), period(100, [100, 40], 40));
    expect(recs.map((r) => r.stage)).toEqual(['completed → ?']);
    const tail = transitionChanges([], period(100, [100, 100], 60), period(100, [100, 100], 40));
    expect(tail.map((r) => r.stage)).toEqual(['? → ?']);
  });

  it('comes with the recommendations when the previous stages are given', () => {
    const input = {
      steps,
      ...period(100, [80, 50], 40),
    };
    const prev = period(100, [80, 30], 24);
    const recs = recommend({
      steps,
      stages: input.stages,
      totals: input.totals,
      previous: prev.totals,
      previousStages: prev.stages,
    });
    expect(recs.filter((r) => r.type === 'transition_change').map((r) => r.stage)).toEqual([
      'a → b',
    ]);
  });
});
