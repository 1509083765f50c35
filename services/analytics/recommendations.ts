import type { StageRow, Totals } from '../../projections/sessionSummary/funnelQueries';
import { pct } from './rates';
import type { Recommendation } from './recommendation';
import { slowestStep } from './slowestStep';
import { transitionChanges } from './transitionChanges';
import { oddsRatio, twoProportionZTest } from './statistics';

export type { Recommendation } from './recommendation';

const minSample = 20;

/**
 * The transition losing the most sessions (ended there: the stage's drop-off, never sessions still
 * in progress), tested against the continuation rate of the others.
 */
const largestDropOff = (steps: readonly string[], stages: readonly StageRow[], totals: Totals) => {
  const counts = [totals.total, ...stages.map((s) => s.reached), totals.completed];
  const ended = [totals.droppedAtStart, ...stages.map((s) => s.droppedHere)];
  const names = ['started', ...steps, 'completed'];
  const drops = counts
    .slice(1)
    .map((c, i) => ({ i, from: counts[i] ?? 0, to: c, lost: ended[i] ?? 0 }));
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
        continuation_rate: pct(worst.to, worst.from),
        other_continuation_rate: oFrom === 0 ? null : pct(oTo, oFrom),
        p_value: test.pValue,
      },
    },
  ];
};

type Exposure = Readonly<{
  type: 'errors_with_drop_off' | 'upload_rejections_with_drop_off' | 'rate_limits_with_drop_off';
  what: string;
  exposed: (s: StageRow) => { dropped: number; reached: number };
}>;

const exposuresOf: readonly Exposure[] = [
  {
    type: 'errors_with_drop_off',
    what: 'errors',
    exposed: (s) => ({ dropped: s.droppedWithErrors, reached: s.reachedWithErrors }),
  },
  {
    type: 'upload_rejections_with_drop_off',
    what: 'upload rejections',
    exposed: (s) => ({ dropped: s.droppedWithRejections, reached: s.reachedWithRejections }),
  },
  {
    type: 'rate_limits_with_drop_off',
    what: 'rate-limit refusals',
    exposed: (s) => ({ dropped: s.droppedWithRateLimits, reached: s.reachedWithRateLimits }),
  },
];

/** Stages where sessions with errors (or upload rejections) drop out more: odds ratio, Woolf CI. */
const exposures = (steps: readonly string[], stages: readonly StageRow[]): Recommendation[] =>
  stages.flatMap((s) =>
    exposuresOf.flatMap((x) => {
      if (s.reached < minSample) return [];
      const { dropped: a, reached: exposed } = x.exposed(s);
      const c = s.droppedHere - a;
      const or = oddsRatio(a, exposed - a, c, s.reached - exposed - c);
      if (or === null || or.low <= 1) return [];
      const stage = steps[s.index] ?? '?';
      return [
        {
          type: x.type,
          stage,
          message: `sessions with ${x.what} at ${stage} drop out ${or.ratio.toFixed(1)}× as often (odds): fix that first`,
          confidence: 1 - or.pValue,
          evidence: {
            test: `odds ratio of dropping at this stage, with vs without ${x.what} in it (Woolf 95% CI)`,
            odds_ratio: or.ratio,
            ci_low: or.low,
            ci_high: or.high,
            dropped_exposed: a,
            reached_exposed: exposed,
            dropped_unexposed: c,
            reached_unexposed: s.reached - exposed,
            p_value: or.pValue,
          },
        },
      ];
    }),
  );

/** A significant change of conversion against the previous period of the same length. */
export const periodChange = (current: Totals, previous: Totals): Recommendation[] => {
  const test = twoProportionZTest(
    current.completed,
    current.total,
    previous.completed,
    previous.total,
  );
  if (test.pValue === null || current.total < minSample || previous.total < minSample) return [];
  const [now, before] = [current.completed / current.total, previous.completed / previous.total];
  if (now === before) return [];
  return [
    {
      type: 'period_change',
      stage: 'overall',
      message: `conversion ${now > before ? 'rose' : 'fell'} from ${(100 * before).toFixed(1)}% to ${(100 * now).toFixed(1)}% against the previous period`,
      confidence: 1 - test.pValue,
      evidence: {
        test: 'two-proportion z-test (pooled, two-sided), this period vs the previous one',
        current_sessions: current.total,
        current_completed: current.completed,
        previous_sessions: previous.total,
        previous_completed: previous.completed,
        p_value: test.pValue,
      },
    },
  ];
};

export type RecommendationInput = Readonly<{
  steps: readonly string[];
  stages: readonly StageRow[];
  totals: Totals;
  /** The previous period of the same length, for the period-change recommendation. */
  previous?: Totals;
  /** Its stage rows, for the per-transition changes. */
  previousStages?: readonly StageRow[];
}>;

/** Recommendations computed from the data; each names its test and its counts. */
export const recommend = (input: RecommendationInput, minConfidence = 0): Recommendation[] =>
  [
    ...largestDropOff(input.steps, input.stages, input.totals),
    ...slowestStep(input.steps, input.stages),
    ...exposures(input.steps, input.stages),
    ...(input.previous ? periodChange(input.totals, input.previous) : []),
    ...(input.previous && input.previousStages
      ? transitionChanges(
          input.steps,
          { totals: input.totals, stages: input.stages },
          { totals: input.previous, stages: input.previousStages },
        )
      : []),
  ]
    .filter((r) => r.confidence >= minConfidence)
    .sort((x, y) => y.confidence - x.confidence);
