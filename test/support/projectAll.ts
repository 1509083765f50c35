import type { EventStore } from '../../infra/eventStore/eventStore';
import { createLogger } from '../../infra/observability/logger';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { testLiveProjection } from './liveProjection';
import { createEmbeddedFeeder } from '../../services/projector/embeddedFeeder';
import { uniqueName } from './uniqueName';

/** Projects everything in the store's onboarding log into the session summary, then returns. */
export const projectAll = (store: EventStore, sql: SqlClient): Promise<void> =>
  createEmbeddedFeeder({
    eventStore: store,
    sql,
    projection: testLiveProjection(),
    logger: createLogger('silent'),
    groupId: uniqueName('feed').replace(/_/g, '-'),
    category: 'onboarding',
    intervalMs: 20,
    maxRetries: 1,
  }).drain();

/**
 * Projects the store's onboarding log with the live projection in batches of `size`, each
 * redelivering the last `redelivered` events of the one before (the position guard must skip
 * them): what a consumer sees after a rebalance or a retried batch.
 */
export const projectRedelivered = async (
  store: EventStore,
  sql: SqlClient,
  size: number,
  redelivered: number,
): Promise<void> => {
  const live = testLiveProjection();
  const all = await store.readCategory('onboarding', 1, 100_000);
  for (let i = 0; i < all.length; i += size) {
    const batch = [...all.slice(Math.max(0, i - redelivered), i), ...all.slice(i, i + size)];
    await sql.transaction((tx) => live.applyBatch(tx, batch));
  }
};
