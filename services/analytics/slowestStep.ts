import type { StageRow } from '../../projections/sessionSummary/funnelQueries';
import type { Recommendation } from './recommendation';
import { twoProportionZTest } from './statistics';

const minSample = 20;

/**
 * The step with the longest median time, if it is slower than the others by Mood's median test:
 * the share of its sessions above the median time pooled over every step, against that share in
 * the other steps (two-proportion z-test, pooled, two-sided).
 */
export const slowestStep = (
  steps: readonly string[],
  stages: readonly StageRow[],
): Recommendation[] => {
  const timed = stages.filter((s) => s.timed >= minSample && s.medianSeconds !== null);
  const slowest = [...timed].sort((a, b) => (b.medianSeconds ?? 0) - (a.medianSeconds ?? 0))[0];
  if (slowest === undefined || timed.length < 2) return [];
  const others = stages.filter((s) => s.index !== slowest.index);
  const [otherAbove, otherTimed] = [
    others.reduce((n, s) => n + s.abovePooledMedian, 0),
    others.reduce((n, s) => n + s.timed, 0),
  ];
  const test = twoProportionZTest(slowest.abovePooledMedian, slowest.timed, otherAbove, otherTimed);
  const share = slowest.abovePooledMedian / slowest.timed;
  if (test.pValue === null || share <= otherAbove / otherTimed) return [];
  const stage = steps[slowest.index] ?? '?';
  return [
    {
      type: 'slowest_step',
      stage,
      message: `${stage} is the slowest step (median ${Math.round(slowest.medianSeconds ?? 0)} s): ${(100 * share).toFixed(0)}% of its sessions take longer than the typical step, against ${((100 * otherAbove) / otherTimed).toFixed(0)}% elsewhere`,
      confidence: 1 - test.pValue,
      evidence: {
        test: "Mood's median test: share above the pooled median time, this step vs the others",
        median_seconds: slowest.medianSeconds,
        p90_seconds: slowest.p90Seconds,
        pooled_median_seconds: slowest.pooledMedianSeconds,
        timed: slowest.timed,
        above_pooled_median: slowest.abovePooledMedian,
        others_timed: otherTimed,
        others_above_pooled_median: otherAbove,
        p_value: test.pValue,
      },
    },
  ];
};
