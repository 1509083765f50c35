import { activeRiskModel } from '../../infra/postgres/riskModelStore';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import type { RiskModel } from './riskModel';

type Body = Omit<RiskModel, 'version' | 'tenantId' | 'algorithm' | 'evaluation' | 'trainedAt'>;

/**
 * The active model per tenant, cached for `refreshMs` so scoring costs no query per request; a
 * newly trained model is picked up within that time. null = no model: score with the rules.
 * `via` reads a model not cached through another executor: the projection's transaction.
 */
export const createModelRepository = (sql: SqlExecutor, refreshMs: number, clock = Date.now) => {
  const cache = new Map<string, { model: RiskModel | null; until: number }>();
  return async (tenantId: string, via: SqlExecutor = sql): Promise<RiskModel | null> => {
    const hit = cache.get(tenantId);
    if (hit !== undefined && hit.until > clock()) return hit.model;
    const stored = await activeRiskModel(via, tenantId);
    const model: RiskModel | null =
      stored === null
        ? null
        : {
            ...(stored.body as Body),
            version: stored.version,
            tenantId: stored.scope === '' ? null : stored.scope,
            algorithm: 'logistic_regression_l2',
            evaluation: stored.evaluation,
            trainedAt: stored.trainedAt,
          };
    cache.set(tenantId, { model, until: clock() + refreshMs });
    return model;
  };
};

export type ModelRepository = ReturnType<typeof createModelRepository>;
