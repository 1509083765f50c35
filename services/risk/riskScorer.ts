import type { RiskScorer, ScoredRisk } from '../../projections/risk/riskScorer';
import { assessRisk, type RiskAssessment } from './assess';
import type { ModelRepository } from './modelRepository';

/** Pure: what the risk read model keeps of an assessment. */
export const scoredRiskOf = (a: RiskAssessment, modelVersion: number | null): ScoredRisk => ({
  score: a.risk_score,
  level: a.risk_level,
  scorer: a.scorer,
  modelVersion,
  features: Object.fromEntries(a.risk_factors.map((f) => [f.factor, f.value])),
  interventionPriority: a.intervention_recommendation.priority,
  recommendedAction: a.intervention_recommendation.actions[0] ?? null,
});

/**
 * The scorer the risk read model is handed: the pure `assessRisk` with the tenant's active model
 * (cached; a model not cached yet is read through the caller's executor).
 */
export const createRiskScorer =
  (models: ModelRepository): RiskScorer =>
  async (tx, state, now) => {
    const model = await models(state.tenantId, tx);
    return scoredRiskOf(assessRisk(state, now, model), model?.version ?? null);
  };
