import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { createLiveProjection } from '../../projections/readModels';
import { createModelRepository } from '../../services/risk/modelRepository';
import { createRiskScorer } from '../../services/risk/riskScorer';

/** The scorer never reads models on its own connection: always through the projection's tx. */
const noOwnConnection: SqlExecutor = {
  query: () => Promise.reject(new Error('risk models are read through the projection transaction')),
};

/** The risk scorer the projector uses, with its own model cache (fresh per call). */
export const testRiskScorer = () =>
  createRiskScorer(createModelRepository(noOwnConnection, 60_000));

/** What the projector runs (summary, funnel, risk), for tests that feed it themselves. */
export const testLiveProjection = () => createLiveProjection(testRiskScorer());
