import type { StageRow } from '../../../projections/sessionSummary/funnelQueries';

/** A funnel stage row with every count zero and no timings, then the given fields. */
export const stageRow = (index: number, over: Partial<StageRow> = {}): StageRow => ({
  index,
  reached: 0,
  droppedHere: 0,
  inProgressHere: 0,
  medianSeconds: null,
  p90Seconds: null,
  timed: 0,
  abovePooledMedian: 0,
  pooledMedianSeconds: null,
  errors: 0,
  uploadRejections: 0,
  droppedWithErrors: 0,
  reachedWithErrors: 0,
  droppedWithRejections: 0,
  reachedWithRejections: 0,
  rateLimitHits: 0,
  droppedWithRateLimits: 0,
  reachedWithRateLimits: 0,
  ...over,
});
