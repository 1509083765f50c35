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
