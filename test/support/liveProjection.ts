import { createMetrics } from '../../infra/observability/metrics';
import type { SqlClient, SqlExecutor } from '../../infra/postgres/sqlClient';
import { createLiveProjection } from '../../projections/readModels';
import { createModelRepository } from '../../services/risk/modelRepository';
import { liveRiskTables, rescoreStale } from '../../services/risk/rescore';
import { createRiskScorer } from '../../services/risk/riskScorer';

/** The scorer never reads models on its own connection: always through the projection's tx. */
const noOwnConnection: SqlExecutor = {
  query: () => Promise.reject(new Error('risk models are read through the projection transaction')),
};

/** The risk scorer the projector uses, with its own model cache (fresh per call). */
export const testRiskScorer = () =>
  createRiskScorer(createModelRepository(noOwnConnection, 60_000));

/** What the projector runs (summary, funnel, heatmap, risk), for tests that feed it themselves. */
export const testLiveProjection = () => createLiveProjection(testRiskScorer());

/** One risk tick at `now` over the live tables (rows scored over `intervalMs` ago), as the detector's loop runs it. */
export const tickRisk = (
  sql: SqlClient,
  now: number,
  options: { intervalMs?: number; pageSize?: number } = {},
) =>
  rescoreStale(
    {
      sql,
      scorer: testRiskScorer(),
      tables: liveRiskTables,
      metrics: createMetrics(),
      intervalMs: options.intervalMs ?? 60_000,
      pageSize: options.pageSize ?? 500,
    },
    now,
  );
