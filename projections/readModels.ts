import { onboardingCategory } from '../events/streamNames';
import { funnelListener, funnelProjectionId } from './funnel/funnelProjection';
import { liveFunnelTable } from './funnel/funnelTable';
import { dropOffListener, dropOffProjectionId } from './heatmap/dropOffProjection';
import { liveDropOffTable } from './heatmap/dropOffTable';
import type { Projection } from './projection';
import type { RebuildableReadModel } from './rebuild';
import { riskListener } from './risk/riskProjection';
import { riskProjectionId, type RiskScorer } from './risk/riskScorer';
import { liveRiskTable } from './risk/riskTable';
import { sessionSummaryProjectionId } from './sessionSummary/sessionSummary';
import { createSessionSummaryProjection } from './sessionSummary/sessionSummaryProjection';
import { liveSessionSummaryTable } from './sessionSummary/sessionSummaryTable';

/**
 * What the projector (and embedded mode) runs: the session summary and the read models derived
 * from it (the funnel, the heatmap, the risk scores), all in the transaction that saves the
 * reader's position. The risk scorer comes from services/risk (the assessment and the tenants'
 * models).
 */
export const createLiveProjection = (risk: RiskScorer): Projection =>
  createSessionSummaryProjection(liveSessionSummaryTable, [
    funnelListener(liveFunnelTable),
    dropOffListener(liveDropOffTable),
    riskListener(liveRiskTable, risk),
  ]);

/** A derived model's rebuild state: a scratch session summary beside the fresh table. */
const scratchOf = (fresh: string) => `${fresh}_sessions`;
const scratchTables = (fresh: string) => [
  { table: scratchOf(fresh), like: liveSessionSummaryTable },
];

/** Every read model the projector maintains, by id: what `projections:rebuild` can rebuild. */
export const readModels: readonly RebuildableReadModel[] = [
  {
    id: sessionSummaryProjectionId,
    liveTable: liveSessionSummaryTable,
    category: onboardingCategory,
    projectionOver: createSessionSummaryProjection,
  },
  {
    id: funnelProjectionId,
    liveTable: liveFunnelTable,
    category: onboardingCategory,
    projectionOver: (table) =>
      createSessionSummaryProjection(scratchOf(table), [funnelListener(table)]),
    scratchTables,
  },
  {
    id: dropOffProjectionId,
    liveTable: liveDropOffTable,
    category: onboardingCategory,
    projectionOver: (table) =>
      createSessionSummaryProjection(scratchOf(table), [dropOffListener(table)]),
    scratchTables,
  },
];

export const sessionSummaryReadModel = readModels[0] as RebuildableReadModel;
export const funnelReadModel = readModels[1] as RebuildableReadModel;
export const dropOffReadModel = readModels[2] as RebuildableReadModel;

/** The risk read model, rebuilt with the scorer the live one uses (the tenants' active models). */
export const riskReadModel = (risk: RiskScorer): RebuildableReadModel => ({
  id: riskProjectionId,
  liveTable: liveRiskTable,
  category: onboardingCategory,
  projectionOver: (table) =>
    createSessionSummaryProjection(scratchOf(table), [riskListener(table, risk)]),
  scratchTables,
});

/** Every id `projections:rebuild` accepts. */
export const readModelIds: readonly string[] = [...readModels.map((m) => m.id), riskProjectionId];

/** Every read model, the risk one with its scorer. */
export const allReadModels = (risk: RiskScorer): readonly RebuildableReadModel[] => [
  ...readModels,
  riskReadModel(risk),
];
