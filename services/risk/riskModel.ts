import type { StepMedians } from './features';
import type { LogisticModel } from './logisticRegression';

/** A trained model as stored (versioned, in PostgreSQL) and as scoring reads it. */
export type RiskModel = Readonly<{
  version: number;
  tenantId: string | null;
  algorithm: 'logistic_regression_l2';
  featureNames: readonly string[];
  model: LogisticModel;
  /** Probability at which a session counts as predicted lost (max F1 on the training part). */
  threshold: number;
  stepMedians: StepMedians;
  horizonMinutes: number;
  evaluation: unknown;
  trainedAt: string;
}>;
