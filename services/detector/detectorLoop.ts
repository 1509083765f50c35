import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../infra/observability/logger';
import { detectAbandoned, updateRecoveryRate, type DetectorDeps } from './detector';

type Pass = Readonly<{ candidates: number; abandoned: number }>;

/**
 * Runs `pass` until stopped: straight on only while a full batch is making progress, otherwise
 * every `intervalMs`. Sessions that cannot be abandoned (a racing user, a read model ahead of a
 * missing stream) so wait for the next pass instead of spinning. Stopping cuts a wait short.
 */
export const loopPasses = (
  pass: () => Promise<Pass | null>,
  settings: Readonly<{ batchSize: number; intervalMs: number }>,
) => {
  let stopping = false;
  const wake = new AbortController();
  const done = (async () => {
    while (!stopping) {
      const result = await pass();
      const progressing =
        result !== null && result.candidates >= settings.batchSize && result.abandoned > 0;
      if (!progressing)
        await sleep(settings.intervalMs, undefined, { signal: wake.signal }).catch(() => undefined);
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
) =>
  loopPasses(
    async () => {
      if (!isLeader()) return null;
      try {
        const result = await detectAbandoned(deps, isLeader);
        await updateRecoveryRate(deps);
        if (result.abandoned > 0) logger.info(result, 'abandoned idle sessions');
        return result;
      } catch (error) {
        logger.error({ err: error }, 'abandonment detector pass failed; retrying');
        return null;
      }
    },
    { batchSize: deps.batchSize, intervalMs },
  );
