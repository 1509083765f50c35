import { CodedError } from '../../events/codedError';

/** Training that would be meaningless or harmful: refused, with what to change. */
export class TrainingRefusedError extends CodedError {
  constructor(code: string, message: string) {
    super({ code, category: 'validation' }, message);
  }
}

/** Fewer test sessions of either class than this, and the comparison says nothing. */
export const minTestPerClass = 30;

/** Refuses a test split with fewer than `minTestPerClass` lost or completed sessions. */
export const requireTestClasses = (labels: readonly number[]): void => {
  const lost = labels.filter((y) => y === 1).length;
  const completed = labels.length - lost;
  if (lost < minTestPerClass || completed < minTestPerClass)
    throw new TrainingRefusedError(
      'too_few_test_sessions',
      `the test split has ${lost} lost and ${completed} completed sessions; at least ${minTestPerClass} of each are needed to compare models`,
    );
};

type Scores = Readonly<{ roc_auc: number | null; pr_auc: number | null }>;

const above = (a: number | null, b: number | null) => a !== null && (b === null || a > b);

/** Strictly better on both ranking measures (ROC-AUC and PR-AUC of the minority class). */
export const beats = (model: Scores, rival: Scores): boolean =>
  above(model.roc_auc, rival.roc_auc) && above(model.pr_auc, rival.pr_auc);

export type Activation = Readonly<{
  activate: boolean;
  forced: boolean;
  /** The rivals the new model does not beat on the same test split. */
  notBeaten: readonly string[];
}>;

/**
 * A new model is activated only if it beats both baselines and the model now in use (on the
 * same test split); `force` activates it anyway, and says so. An active model that cannot be
 * scored on this split (other features) counts as not beaten.
 */
export const decideActivation = (
  evaluation: Readonly<{
    model: Scores;
    majority_baseline: Scores;
    rule_table: Scores;
    active_model: Scores | 'incomparable' | null;
  }>,
  force: boolean,
): Activation => {
  const rivals: [string, Scores | 'incomparable'][] = [
    ['majority_baseline', evaluation.majority_baseline],
    ['rule_table', evaluation.rule_table],
    ...(evaluation.active_model === null
      ? []
      : [['active_model', evaluation.active_model] as [string, Scores | 'incomparable']]),
  ];
  const notBeaten = rivals
    .filter(([, r]) => r === 'incomparable' || !beats(evaluation.model, r))
    .map(([name]) => name);
  return {
    activate: notBeaten.length === 0 || force,
    forced: force && notBeaten.length > 0,
    notBeaten,
  };
};
