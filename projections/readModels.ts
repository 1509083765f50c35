import { onboardingCategory } from '../events/streamNames';
import type { RebuildableReadModel } from './rebuild';
import { sessionSummaryProjectionId } from './sessionSummary/sessionSummary';
import { createSessionSummaryProjection } from './sessionSummary/sessionSummaryProjection';
import { liveSessionSummaryTable } from './sessionSummary/sessionSummaryTable';

/** Every read model the projector maintains, by id: what `projections:rebuild` can rebuild. */
export const readModels: readonly RebuildableReadModel[] = [
  {
    id: sessionSummaryProjectionId,
    liveTable: liveSessionSummaryTable,
    category: onboardingCategory,
    projectionOver: createSessionSummaryProjection,
  },
];

export const sessionSummaryReadModel = readModels[0] as RebuildableReadModel;
