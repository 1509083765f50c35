import type { StageRow, Totals } from '../sessionSummary/funnelQueries';
import type { FunnelCounts } from './funnelCounts';
import {
  histogramAbove,
  histogramCount,
  histogramPercentile,
  mergeHistograms,
  type Histogram,
} from './timeHistogram';

/** The histogram under a key prefix (`ct.`, `t.3.`) of a merged count map. */
const histogramOf = (counts: FunnelCounts, prefix: string): Histogram =>
  Object.fromEntries(
    Object.entries(counts)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, n]) => [k.slice(prefix.length), n]),
  );

const totalsOf = (c: FunnelCounts): Totals => {
  const n = (k: string) => c[k] ?? 0;
  const completion = histogramOf(c, 'ct.');
  const timed = histogramCount(completion);
  return {
    total: n('started'),
    completed: n('completed'),
    avgSeconds: timed === 0 ? null : n('completion_ms') / 1000 / timed,
    medianSeconds: histogramPercentile(completion, 0.5),
    droppedAtStart: n('dropped_start'),
    inProgressAtStart: n('running_start'),
  };
};

/**
 * The funnel's totals and stage rows (what `funnelBody` takes) from a period's merged counts, for
 * a flow of `steps` steps. Exact except the time percentiles, which come from the histograms
 * (within `histogramRelativeError`), and so the Mood's-test counts above the pooled median.
 */
export const funnelDataOf = (c: FunnelCounts, steps: number) => {
  const n = (k: string) => c[k] ?? 0;
  const times = Array.from({ length: steps }, (_, i) => histogramOf(c, `t.${i}.`));
  const pooled = histogramPercentile(mergeHistograms(times), 0.5);
  const completed = n('completed');
  const stageRows = times.map((h, i): StageRow => ({
    index: i,
    reached: completed + n(`reached_nc.${i}`),
    droppedHere: n(`dropped.${i}`),
    inProgressHere: n(`running.${i}`),
    medianSeconds: histogramPercentile(h, 0.5),
    p90Seconds: histogramPercentile(h, 0.9),
    timed: histogramCount(h),
    abovePooledMedian: pooled === null ? 0 : histogramAbove(h, pooled),
    pooledMedianSeconds: pooled,
    errors: n(`errors.${i}`),
    uploadRejections: n(`rejects.${i}`),
    droppedWithErrors: n(`dropped_err.${i}`),
    reachedWithErrors: n(`reached_err.${i}`),
    droppedWithRejections: n(`dropped_rej.${i}`),
    reachedWithRejections: n(`reached_rej.${i}`),
    rateLimitHits: n(`limited.${i}`),
    droppedWithRateLimits: n(`dropped_lim.${i}`),
    reachedWithRateLimits: n(`reached_lim.${i}`),
  }));
  // `abandoned` rides along so the documented funnel's `abandoned_sessions` needs no query of its own.
  return { totals: totalsOf(c), stageRows, abandoned: n('abandoned') };
};
