import type { Logger } from '../../infra/observability/logger';
import type { Metrics } from '../../infra/observability/metrics';
import {
  evictOverflow,
  insertDeadLetters,
  type DeadLetterRow,
} from '../../infra/postgres/dlqStore';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';

export type DeadLetterStoreDeps = Readonly<{
  maxRetries: number;
  /** DLQ_MAX_QUEUE_SIZE: entries kept per tenant; absent → no cap (tools and tests only). */
  maxQueueSize?: number | undefined;
  metrics?: Pick<Metrics, 'dlqEvicted'> | undefined;
  logger?: Logger | undefined;
}>;

/**
 * Stores a batch's dead letters and, in the same transaction, evicts what no longer fits the
 * tenant's DLQ_MAX_QUEUE_SIZE (the seed's FIFO cap; handled entries go before open ones). An
 * eviction is never silent: `dlq_tasks_evicted_total{status}` and a warning naming the tenant,
 * the counts by status and the cap, nothing of the failed events. Like the projection counters,
 * the counter moves inside the transaction: a batch rolled back and redelivered counts again.
 */
export const storeDeadLetters = async (
  tx: SqlExecutor,
  rows: readonly DeadLetterRow[],
  deps: DeadLetterStoreDeps,
): Promise<void> => {
  if (rows.length === 0) return;
  await insertDeadLetters(tx, rows, deps.maxRetries);
  if (deps.maxQueueSize === undefined) return;
  const evictions = await evictOverflow(
    tx,
    rows.map((r) => r.tenantId),
    deps.maxQueueSize,
  );
  const byTenant = new Map<string | null, Record<string, number>>();
  for (const e of evictions) {
    deps.metrics?.dlqEvicted.inc({ status: e.status }, e.evicted);
    byTenant.set(e.tenantId, { ...byTenant.get(e.tenantId), [e.status]: e.evicted });
  }
  for (const [tenantId, byStatus] of byTenant)
    deps.logger?.warn(
      { tenantId, evicted: byStatus, maxQueueSize: deps.maxQueueSize },
      'dead letters evicted: the tenant reached DLQ_MAX_QUEUE_SIZE',
    );
};
