import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../infra/observability/logger';
import { createPassOutages } from '../../infra/observability/outageReporter';
import { detectAbandoned, updateRecoveryRate, type DetectorDeps } from './detector';

type Pass = Readonly<{ candidates: number; abandoned: number }>;

/** Waits `ms` unless `signal` aborts first; injected by tests so they need no wall clock. */
export type Wait = (ms: number, signal: AbortSignal) => Promise<void>;

const timerWait: Wait = (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined);

/**
 * Runs `pass` until stopped: straight on only while a full batch is making progress, otherwise
 * every `intervalMs`. Sessions that cannot be abandoned (a racing user, a read model ahead of a
 * missing stream) so wait for the next pass instead of spinning. Stopping cuts a wait short.
 */
export const loopPasses = (
  pass: () => Promise<Pass | null | 'standby'>,
  settings: Readonly<{ batchSize: number; intervalMs: number; standbyMs?: number }>,
  wait: Wait = timerWait,
) => {
  let stopping = false;
  const wake = new AbortController();
  const done = (async () => {
    while (!stopping) {
      const result = await pass();
      // A standby looks again soon: once it takes the lease it should not wait a whole interval.
      if (result === 'standby') {
        await wait(settings.standbyMs ?? settings.intervalMs, wake.signal);
        continue;
      }
      const progressing =
        result !== null && result.candidates >= settings.batchSize && result.abandoned > 0;
      if (!progressing) await wait(settings.intervalMs, wake.signal);
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      wake.abort();
      await done;
    },
  };
};

/**
 * The abandonment detector's loop; a failed pass is logged and retried on the next one. With
 * `isLeader` (several detector processes), only the holder of the detector's lease runs passes.
 */
export const startDetectorLoop = (
  deps: DetectorDeps,
  logger: Logger,
  intervalMs: number,
  isLeader: () => boolean = () => true,
) => {
  const outages = createPassOutages(logger);
  return loopPasses(
    async () => {
      if (!isLeader()) return 'standby' as const;
      try {
        const result = await detectAbandoned(deps, isLeader);
        await updateRecoveryRate(deps);
        deps.metrics.workerHeartbeat.set({ worker: 'detector' }, Date.now() / 1000);
        outages.passed();
        if (result.abandoned > 0) logger.info(result, 'abandoned idle sessions');
        return result;
      } catch (error) {
        outages.failed(error, 'abandonment detector pass failed; retrying');
        return null;
      }
    },
    { batchSize: deps.batchSize, intervalMs, standbyMs: Math.min(intervalMs, 1_000) },
  );
};
