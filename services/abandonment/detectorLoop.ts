import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../infra/observability/logger';
import { detectAbandoned, updateRecoveryRate, type DetectorDeps } from './detector';

/** Runs detector passes every `intervalMs` until stopped; a failed pass is logged and retried. */
export const startDetectorLoop = (deps: DetectorDeps, logger: Logger, intervalMs: number) => {
  let stopping = false;
  const done = (async () => {
    while (!stopping) {
      const pass = await detectAbandoned(deps)
        .then(async (result) => {
          await updateRecoveryRate(deps);
          return result;
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'abandonment detector pass failed; retrying');
          return null;
        });
      if (pass && pass.abandoned > 0) logger.info(pass, 'abandoned idle sessions');
      if (!pass || pass.candidates < deps.batchSize) await sleep(intervalMs);
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await done;
    },
  };
};
