import { bestThreshold, calibration, evaluate } from './evaluation';
import { ruleFactors } from './ruleScore';
import type { SessionState } from '../../events/onboarding/state';
import { featureNames, modelInput, rawFeatures, type StepMedians } from './features';
import { fitLogistic, predict } from './logisticRegression';
import type { Example } from './trainingSet';
import { requireTestClasses } from './activation';
import type { LogisticModel } from './logisticRegression';

/** The model in use, to be scored on the new model's test split (null: none, or other features). */
export type Incumbent = Readonly<{ model: LogisticModel; stepMedians: StepMedians }> | null;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Per flow and step, the median duration over the given (training) sessions. */
export const stepMediansOf = (examples: readonly Example[]): StepMedians => {
  const byStep = new Map<string, Map<string, number[]>>();
  for (const e of examples) {
    for (const [flow, step, ms] of e.stepDurations) {
      const flowMap = byStep.get(flow) ?? new Map<string, number[]>();
      byStep.set(flow, flowMap);
      const list = flowMap.get(step) ?? [];
      flowMap.set(step, list);
      list.push(ms);
    }
  }
  return Object.fromEntries(
    [...byStep].map(([flow, steps]) => [
      flow,
      Object.fromEntries([...steps].map(([step, ms]) => [step, median(ms)])),
    ]),
  );
};

/** The rule table's points as a probability (score / 100), for comparison on the same data. */
const ruleProbability = (s: SessionState, now: number): number =>
  Math.min(
    100,
    ruleFactors(s, now).reduce((sum, f) => sum + f.contribution, 0),
  ) / 100;

/** Scores and labels, flipped when the positive class is the majority (F1 of the minority). */
const minorityView = (scores: number[], labels: number[], positiveRate: number) =>
  positiveRate <= 0.5
    ? { scores, labels }
    : { scores: scores.map((s) => 1 - s), labels: labels.map((y) => 1 - y) };

/**
 * Trains on the earlier 80 % of sessions (by start time) and evaluates on the later 20 %, against
 * a majority-class baseline that always predicts the training positive rate.
 */
export const trainRiskModel = (
  examples: readonly Example[],
  l2 = 1,
  incumbent: Incumbent | 'incomparable' = null,
) => {
  const sorted = [...examples].sort((a, b) => a.startedAt - b.startedAt);
  const cut = Math.floor(sorted.length * 0.8);
  const [train, test] = [sorted.slice(0, cut), sorted.slice(cut)];
  if (train.length < 20 || test.length < 5) throw new Error('too few finished sessions to train');
  const medians = stepMediansOf(train);
  const rowsOf = (set: readonly Example[]) =>
    set.map((e) => modelInput(rawFeatures(e.state, e.observedAt, medians)));
  const trainRows = rowsOf(train);
  const trainLabels = train.map((e) => e.label);
  const model = fitLogistic(trainRows, trainLabels, l2);
  const positiveRate = trainLabels.reduce<number>((a, b) => a + b, 0) / train.length;
  // Thresholds and F1 are for the minority class, whichever it is (the interesting one).
  const trainView = minorityView(
    trainRows.map((r) => predict(model, r)),
    trainLabels,
    positiveRate,
  );
  const minorityThreshold = bestThreshold(trainView.scores, trainView.labels);
  const threshold = positiveRate <= 0.5 ? minorityThreshold : 1 - minorityThreshold;
  const testLabels = test.map((e) => e.label as number);
  requireTestClasses(testLabels);
  const testScores = rowsOf(test).map((r) => predict(model, r));
  const view = minorityView(testScores, testLabels, positiveRate);
  const base = minorityView(
    testScores.map(() => positiveRate),
    testLabels,
    positiveRate,
  );
  const rules = minorityView(
    test.map((e) => ruleProbability(e.state, e.observedAt)),
    testLabels,
    positiveRate,
  );
  return {
    model,
    threshold,
    stepMedians: medians,
    evaluation: {
      split: {
        train: train.length,
        test: test.length,
        split_at: new Date(test[0]?.startedAt ?? 0).toISOString(),
        train_positive_rate: Math.round(positiveRate * 10_000) / 10_000,
        test_positive_rate:
          Math.round((10_000 * testLabels.reduce((a, b) => a + b, 0)) / test.length) / 10_000,
        minority_class: positiveRate <= 0.5 ? 'lost' : 'completed',
      },
      model: evaluate(view.scores, view.labels, minorityThreshold),
      majority_baseline: evaluate(base.scores, base.labels, 0.5),
      rule_table: evaluate(rules.scores, rules.labels, 0.5),
      // The model in use, with its own step medians and threshold logic, on the same test split.
      active_model:
        incumbent === null || incumbent === 'incomparable'
          ? incumbent
          : evaluate(
              minorityView(
                test.map((e) =>
                  predict(
                    incumbent.model,
                    modelInput(rawFeatures(e.state, e.observedAt, incumbent.stepMedians)),
                  ),
                ),
                testLabels,
                positiveRate,
              ).scores,
              view.labels,
              minorityThreshold,
            ),
      // Calibration of P(lost) itself, whichever class is the minority.
      calibration: calibration(testScores, testLabels),
      weights: Object.fromEntries(featureNames.map((n, i) => [n, model.weights[i] ?? 0])),
    },
  };
};
