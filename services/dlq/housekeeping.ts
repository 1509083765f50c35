import type { Logger } from '../../infra/observability/logger';
import type { Metrics } from '../../infra/observability/metrics';
import {
  openDepthByStatus,
  purgeExpired,
  purgeRetryHistory,
} from '../../infra/postgres/dlqQueries';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';

export type DlqHousekeepingDeps = Readonly<{
  sql: SqlExecutor;
  metrics: Pick<Metrics, 'dlqQueueDepth'>;
  logger: Logger;
  retentionDays: number;
  /** ERROR_RECOVERY_LOG_RETENTION_DAYS: how long a retry attempt stays in the history. */
  recoveryLogRetentionDays: number;
}>;

/**
 * One housekeeping turn of the dead-letter table: the retention purges (resolved and abandoned
 * entries older than DLQ_RETENTION_DAYS; retry attempts older than
 * ERROR_RECOVERY_LOG_RETENTION_DAYS, which name the admin who retried) and the `dlq_queue_depth{status}` gauge of OPEN entries
 * (pending, retrying, failed), so the DLQQueueDepthHigh alert never fires on handled entries.
 */
export const dlqHousekeeping = async (deps: DlqHousekeepingDeps): Promise<void> => {
  const purged = await purgeExpired(deps.sql, deps.retentionDays);
  if (purged > 0)
    deps.logger.info({ purged, retentionDays: deps.retentionDays }, 'expired dead letters purged');
  const attempts = await purgeRetryHistory(deps.sql, deps.recoveryLogRetentionDays);
  if (attempts > 0)
    deps.logger.info(
      { attempts, retentionDays: deps.recoveryLogRetentionDays },
      'expired retry attempts purged',
    );
  for (const [status, n] of await openDepthByStatus(deps.sql))
    deps.metrics.dlqQueueDepth.set({ status }, n);
};

/**
 * The housekeeping tick, run by whichever process owns the dead-letter table: the workers process
 * in service mode, the single process in embedded mode. Returns the shutdown step.
 */
export const startDlqHousekeeping = async (deps: DlqHousekeepingDeps, intervalMs = 30_000) => {
  const turn = () =>
    dlqHousekeeping(deps).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'dead-letter housekeeping failed'),
    );
  const tick = setInterval(() => void turn(), intervalMs);
  tick.unref();
  await turn();
  return { name: 'dlq housekeeping', close: () => Promise.resolve(clearInterval(tick)) };
};
