import type { Logger } from '../../infra/observability/logger';
import { createPassOutages } from '../../infra/observability/outageReporter';
import { loopPasses, type Wait } from '../detector/detectorLoop';
import { rescoreStale, type RescoreDeps } from './rescore';

/**
 * Runs the risk tick every `intervalMs` beside the abandonment detector (embedded main, detector
 * main); a failed pass is logged and retried on the next one. With `isLeader`, only the holder of
 * the detector's lease ticks, so several detector processes do not score the same rows.
 */
export const startRiskRescoreLoop = (
  deps: RescoreDeps & Readonly<{ clock: () => Date }>,
  logger: Logger,
  isLeader: () => boolean = () => true,
  wait?: Wait,
) => {
  const outages = createPassOutages(logger);
  return loopPasses(
    async () => {
      if (!isLeader()) return 'standby' as const;
      try {
        const { read } = await rescoreStale(deps, deps.clock().getTime());
        outages.passed();
        // Never "progressing": one pass reads every stale page, the next waits an interval.
        return { candidates: read, abandoned: 0 };
      } catch (error) {
        outages.failed(error, 'risk rescore pass failed; retrying');
        return null;
      }
    },
    {
      batchSize: deps.pageSize,
      intervalMs: deps.intervalMs,
      standbyMs: Math.min(deps.intervalMs, 1_000),
    },
    wait,
  );
};
