import type { StageRow, Totals } from '../../projections/sessionSummary/funnelQueries';
import { pct } from './rates';
import type { Recommendation } from './recommendation';
import { holmAdjust, twoProportionZTest } from './statistics';

const minSample = 20;
const alpha = 0.05;

type Period = Readonly<{ totals: Totals; stages: readonly StageRow[] }>;

/** Per transition (started → first step, …, last step → completed): entered and continued. */
const transitionsOf = ({ totals, stages }: Period) => {
  const counts = [totals.total, ...stages.map((s) => s.reached), totals.completed];
  return counts.slice(1).map((continued, i) => ({ entered: counts[i] ?? 0, continued }));
};

const rateText = (x: number, n: number) => `${((100 * x) / n).toFixed(0)}%`;

/**
 * Which transitions' continuation rates changed against the previous period: a two-proportion
 * z-test per transition (both periods with ≥ 20 sessions entering it), Holm-corrected across the
 * transitions tested, so that among several transitions one is not flagged by chance. Each
 * transition significant at 5 % after the correction is named, with both rates and its p-values.
 */
export const transitionChanges = (
  steps: readonly string[],
  current: Period,
  previous: Period,
): Recommendation[] => {
  const names = ['started', ...steps, 'completed'];
  const before = transitionsOf(previous);
  const tested = transitionsOf(current).flatMap((now, i) => {
    const then = before[i];
    if (then === undefined || now.entered < minSample || then.entered < minSample) return [];
    const test = twoProportionZTest(now.continued, now.entered, then.continued, then.entered);
    return test.pValue === null ? [] : [{ i, now, then, pValue: test.pValue, z: test.z ?? 0 }];
  });
  const adjusted = holmAdjust(tested.map((t) => t.pValue));
  return tested.flatMap((t, k): Recommendation[] => {
    const holm = adjusted[k] ?? 1;
    if (holm >= alpha) return [];
    const stage = `${names[t.i] ?? '?'} → ${names[t.i + 1] ?? '?'}`;
    const direction = t.z > 0 ? 'rose' : 'fell';
    return [
      {
        type: 'transition_change',
        stage,
        message: `${stage} ${direction} from ${rateText(t.then.continued, t.then.entered)} to ${rateText(t.now.continued, t.now.entered)} against the previous period (p = ${t.pValue.toPrecision(2)}, Holm-adjusted ${holm.toPrecision(2)})`,
        confidence: 1 - holm,
        evidence: {
          test: `two-proportion z-test per transition, this period vs the previous one, Holm-corrected over ${tested.length} transitions`,
          previous_continuation_rate: pct(t.then.continued, t.then.entered),
          current_continuation_rate: pct(t.now.continued, t.now.entered),
          previous_entered: t.then.entered,
          previous_continued: t.then.continued,
          current_entered: t.now.entered,
          current_continued: t.now.continued,
          z: t.z,
          p_value: t.pValue,
          holm_adjusted_p_value: holm,
          transitions_tested: tested.length,
        },
      },
    ];
  });
};
