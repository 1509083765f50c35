import type { Config } from '../../infra/config/loadConfig';
import type { Closer } from '../../infra/lifecycle/shutdown';
import type { Logger } from '../../infra/observability/logger';
import { liveSessionSummaryTable } from '../../projections/sessionSummary/sessionSummaryTable';
import type { DetectorDeps } from '../detector/detector';
import { startDetectorLoop } from '../detector/detectorLoop';

/** Embedded mode (`npm start` without services) runs its workers inside the API process. */
/** Starts an embedded feeder's polling loop and hands it back. */
export const started = <F extends { start: () => void }>(feeder: F): F => {
  feeder.start();
  return feeder;
};

/** Embedded mode's in-process workers, stopped before the database closes. */
export const embeddedClosers = (
  feeder: { stop: () => Promise<void> } | null,
  detector: { stop: () => Promise<void> } | null,
): Closer[] => [
  ...(detector ? [{ name: 'abandonment detector', close: detector.stop }] : []),
  ...(feeder ? [{ name: 'embedded projections', close: feeder.stop }] : []),
];

/** The abandonment detector inside the API process (embedded mode only). */
export const embeddedDetector = (
  config: Config,
  deps: Pick<DetectorDeps, 'sql' | 'eventStore' | 'handle' | 'metrics' | 'models'>,
  logger: Logger,
) =>
  startDetectorLoop(
    { ...deps, table: liveSessionSummaryTable, clock: () => new Date(), ...config.abandonment },
    logger,
    config.abandonment.scanIntervalMs,
  );
