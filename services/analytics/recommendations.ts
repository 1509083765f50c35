import type { StageRow, Totals } from '../../infra/postgres/analyticsQueries';
import { oddsRatio, twoProportionZTest } from './statistics';

export type Recommendation = Readonly<{
  type: 'largest_drop_off' | 'errors_with_drop_off' | 'upload_rejections_with_drop_off';
  stage: string;
  message: string;
  /** 1 − p-value of the test named in `evidence.test` (README: "How confidence is computed"). */
  confidence: number;
  evidence: Readonly<Record<string, number | string | null>>;
}>;

const minSample = 20;

/** The transition losing the most sessions, tested against the continuation rate of the others. */
const largestDropOff = (steps: readonly string[], stages: readonly StageRow[], totals: Totals) => {
  const counts = [totals.total, ...stages.map((s) => s.reached), totals.completed];
  const names = ['started', ...steps, 'completed'];
  const drops = counts
    .slice(1)
    .map((c, i) => ({ i, from: counts[i] ?? 0, to: c, lost: (counts[i] ?? 0) - c }));
  const worst = [...drops].sort((a, b) => b.lost - a.lost)[0];
  if (!worst || worst.lost <= 0 || worst.from < minSample) return [];
  const others = drops.filter((d) => d.i !== worst.i);
  const [oFrom, oTo] = [
    others.reduce((s, d) => s + d.from, 0),
    others.reduce((s, d) => s + d.to, 0),
  ];
  const test = twoProportionZTest(worst.to, worst.from, oTo, oFrom);
  if (test.pValue === null) return [];
  const stage = `${names[worst.i] ?? '?'} → ${names[worst.i + 1] ?? '?'}`;
  return [
    {
      type: 'largest_drop_off' as const,
      stage,
      message: `${worst.lost} of ${worst.from} sessions (${((100 * worst.lost) / worst.from).toFixed(1)}%) are lost at ${stage}: start there`,
      confidence: 1 - test.pValue,
      evidence: {
        test: 'two-proportion z-test: continuation here vs all other transitions',
        lost: worst.lost,
        entered: worst.from,
        continuation_rate: worst.to / worst.from,
        other_continuation_rate: oFrom === 0 ? null : oTo / oFrom,
        p_value: test.pValue,
      },
    },
  ];
};

/** Stages where sessions with errors (or upload rejections) drop out more: odds ratio, Woolf CI. */
const exposures = (steps: readonly string[], stages: readonly StageRow[]): Recommendation[] =>
  stages.flatMap((s) => {
    if (s.reached < minSample) return [];
    const a = s.droppedWithErrors;
    const b = s.reachedWithErrors - a;
    const c = s.droppedHere - a;
    const d = s.reached - s.reachedWithErrors - c;
    const or = oddsRatio(a, b, c, d);
    if (or === null || or.low <= 1) return [];
    const stage = steps[s.index] ?? '?';
    return [
      {
        type: 'errors_with_drop_off' as const,
        stage,
        message: `sessions with errors at ${stage} drop out ${or.ratio.toFixed(1)}× as often (odds): fix those errors first`,
        confidence: 1 - or.pValue,
        evidence: {
          test: 'odds ratio of dropping at this stage, with vs without errors in it (Woolf 95% CI)',
          odds_ratio: or.ratio,
          ci_low: or.low,
          ci_high: or.high,
          dropped_with_errors: a,
          reached_with_errors: s.reachedWithErrors,
          dropped_without_errors: c,
          reached_without_errors: s.reached - s.reachedWithErrors,
          p_value: or.pValue,
        },
      },
    ];
  });

/** Recommendations computed from the data; each names its test and its counts. */
export const recommend = (
  steps: readonly string[],
  stages: readonly StageRow[],
  totals: Totals,
  minConfidence = 0,
): Recommendation[] =>
  [...largestDropOff(steps, stages, totals), ...exposures(steps, stages)]
    .filter((r) => r.confidence >= minConfidence)
    .sort((x, y) => y.confidence - x.confidence);
