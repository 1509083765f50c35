import { hostname } from 'node:os';
import type { Logger } from '../../infra/observability/logger';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { recordHeartbeat } from '../../infra/postgres/workerHeartbeats';

export const workerNames = ['relay', 'projector', 'detector'] as const;
export type WorkerName = (typeof workerNames)[number];

/**
 * Beats for a worker every `intervalMs` (first beat at once) so that health/ can tell a stale
 * worker. A failed beat is logged and retried at the next tick: health reports the staleness.
 */
export const startHeartbeat = (
  deps: Readonly<{ sql: SqlExecutor; logger: Logger; intervalMs: number }>,
  worker: WorkerName,
) => {
  const instance = `${hostname()}:${process.pid}`;
  const beat = () =>
    recordHeartbeat(deps.sql, worker, instance).catch((error: unknown) =>
      deps.logger.warn(
        { worker, err: error instanceof Error ? error.message : String(error) },
        'heartbeat failed',
      ),
    );
  void beat();
  const timer = setInterval(() => void beat(), deps.intervalMs);
  timer.unref();
  return { stop: () => Promise.resolve(clearInterval(timer)) };
};
