import type { Logger } from '../../infra/observability/logger';
import type { Metrics } from '../../infra/observability/metrics';

type Lag = Readonly<{ lag_events: number; lag_seconds: number | null }>;

/**
 * Read-model freshness as gauges, refreshed by the API when /metrics is scraped, from the same
 * measure /health reports. Measured from the store and the read model's stored position, it keeps
 * rising while a projector is stopped, where the projector's own gauges would freeze. A failed
 * measure leaves the last values (and is logged): a scrape never fails for it.
 */
export const createReadModelLagRefresh =
  (
    lag: () => Promise<Record<string, unknown>>,
    metrics: Pick<Metrics, 'readModelLagEvents' | 'readModelLagSeconds'>,
    logger: Logger,
  ) =>
  async (): Promise<void> => {
    try {
      for (const [projection, value] of Object.entries(await lag())) {
        const { lag_events, lag_seconds } = value as Lag;
        metrics.readModelLagEvents.set({ projection }, lag_events);
        if (lag_seconds !== null) metrics.readModelLagSeconds.set({ projection }, lag_seconds);
      }
    } catch (error) {
      logger.warn({ err: error }, 'read-model lag not measured for this scrape');
    }
  };
