import { onboardingCategory } from '../events/streamNames';
import { funnelListener, funnelProjectionId } from './funnel/funnelProjection';
import { liveFunnelTable } from './funnel/funnelTable';
import { dropOffListener, dropOffProjectionId } from './heatmap/dropOffProjection';
import { liveDropOffTable } from './heatmap/dropOffTable';
import type { Projection } from './projection';
import type { RebuildableReadModel } from './rebuild';
import { sessionSummaryProjectionId } from './sessionSummary/sessionSummary';
import { createSessionSummaryProjection } from './sessionSummary/sessionSummaryProjection';
import { liveSessionSummaryTable } from './sessionSummary/sessionSummaryTable';

/**
 * What the projector (and embedded mode) runs: the session summary and the read models derived
 * from it (the funnel, the heatmap), all in the transaction that saves the reader's position.
 */
export const createLiveProjection = (): Projection =>
  createSessionSummaryProjection(liveSessionSummaryTable, [
    funnelListener(liveFunnelTable),
    dropOffListener(liveDropOffTable),
  ]);

/** A derived model's rebuild state: a scratch session summary beside its fresh table. */
const funnelScratch = (fresh: string) => `${fresh}_sessions`;

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
      createSessionSummaryProjection(funnelScratch(table), [funnelListener(table)]),
    scratchTables: (fresh) => [{ table: funnelScratch(fresh), like: liveSessionSummaryTable }],
  },
  {
    id: dropOffProjectionId,
    liveTable: liveDropOffTable,
    category: onboardingCategory,
    projectionOver: (table) =>
      createSessionSummaryProjection(funnelScratch(table), [dropOffListener(table)]),
    scratchTables: (fresh) => [{ table: funnelScratch(fresh), like: liveSessionSummaryTable }],
  },
];

export const sessionSummaryReadModel = readModels[0] as RebuildableReadModel;
export const funnelReadModel = readModels[1] as RebuildableReadModel;
export const dropOffReadModel = readModels[2] as RebuildableReadModel;
