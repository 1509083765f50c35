import type { Flow } from '../../events/onboarding/flows';
import { onboardingCategory } from '../../events/streamNames';
import type { Principal } from '../../infra/auth/jwt';
import type { Config } from '../../infra/config/loadConfig';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { withAppendMetrics } from '../../infra/eventStore/meteredEventStore';
import type { Logger } from '../../infra/observability/logger';
import type { Metrics } from '../../infra/observability/metrics';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { positionsVersion } from '../../infra/postgres/positions';
import { createFieldCipher } from '../../infra/privacy/fieldCipher';
import type { SubjectKeyStore } from '../../infra/privacy/keyStore';
import type { RateLimiter } from '../../infra/rateLimit/rateLimiter';
import type { ResponseCache } from '../../infra/redis/responseCache';
import type { FileStorage } from '../../infra/storage/fileStorage';
import type { UploadQuota } from '../../infra/uploads/uploadQuota';
import { liveFunnelTable } from '../../projections/funnel/funnelTable';
import { liveDropOffTable } from '../../projections/heatmap/dropOffTable';
import { liveRiskTable } from '../../projections/risk/riskTable';
import { createLiveProjection } from '../../projections/readModels';
import { liveSessionSummaryTable } from '../../projections/sessionSummary/sessionSummaryTable';
import { createCachedQuery } from '../analytics/cachedQuery';
import { createAnalyticsRoutes } from '../analytics/routes';
import { createConsoleRoutes } from '../console/routes';
import { createDeadLetterRetry } from '../dlq/retryDeadLetter';
import { createDlqRoutes } from '../dlq/routes';
import type { HealthProbes } from '../health/checkHealth';
import type { WorkerName } from '../health/heartbeat';
import { latestHeartbeats } from '../../infra/postgres/workerHeartbeats';
import { createEraseSubject } from '../privacy/eraseSubject';
import { createPrivacyRoutes } from '../privacy/routes';
import { createReadModelLagRefresh } from '../projector/lagMetrics';
import { createProjectionLag } from '../projector/projectionLag';
import { createRestorer } from '../recovery/restoreSession';
import { createResumeSession } from '../recovery/resumeSession';
import { createRecoveryRoutes } from '../recovery/routes';
import { createSaveCheckpoint } from '../recovery/saveCheckpoint';
import { createSnapshotter, type SnapshotTier } from '../recovery/snapshotter';
import { createReplayRoutes } from '../replay/routes';
import { atRiskSummary, readAtRiskSessions, type AtRiskDeps } from '../risk/atRisk';
import { createModelRepository } from '../risk/modelRepository';
import { createRiskScorer } from '../risk/riskScorer';
import { createRiskRoutes } from '../risk/routes';
import { createAppendActivities } from '../sessions/appendActivities';
import { createCommandHandler } from '../sessions/handleCommand';
import { createRateLimitRecorder } from '../sessions/rateLimitRecorder';
import { createSessionRoutes } from '../sessions/routes';
import { createSessionOwner } from '../sessions/sessionOwner';
import { createSessionLoader } from '../sessions/sessionLoader';
import { createStartSession } from '../sessions/startSession';
import type { UploadDeps } from '../uploads/intake';
import { createUploadRoutes } from '../uploads/routes';
import { apiBasePath, buildApp } from './app';
import { apiDocument } from './contract/apiDocument';
import { createRateLimit } from './middleware/rateLimit';

/** The ports an API process runs on: every main (and the test harness) hands in its own. */
export type ApiAdapters = Readonly<{
  logger: Logger;
  metrics: Metrics;
  clock: () => Date;
  newId: () => string;
  sql: SqlClient;
  /** A read replica for the analytics queries (DATABASE_READ_URL); absent → `sql`. */
  analyticsSql?: SqlClient;
  eventStore: EventStore;
  verifyToken: (token: string) => Promise<Principal>;
  flows: ReadonlyMap<string, Flow>;
  keys: SubjectKeyStore;
  storage: FileStorage;
  uploadQuota: UploadQuota;
  rateLimiter: RateLimiter;
  snapshotTiers: readonly SnapshotTier[];
  responseCache: ResponseCache;
  sniffType: UploadDeps['sniffType'];
  reencodeImage: UploadDeps['reencodeImage'];
  probes: HealthProbes;
  /** The workers this deployment runs (their heartbeats are checked by health/); none: []. */
  expectedWorkers?: readonly WorkerName[];
  /** End offsets of the events topic's partitions (Kafka mode), for the projection lag. */
  topicEnds: (() => Promise<Map<number, number>>) | null;
}>;

/** The at-risk figures of the dashboards: sessions scored high or critical (the risk read model). */
const atRiskFigures = (deps: AtRiskDeps) => async (tenantId: string | null) => {
  const { total, sessions } = await readAtRiskSessions(deps, tenantId, 'high', 5);
  return { count: total, top: sessions.map(atRiskSummary) };
};

/**
 * The one composition of the API: configuration and adapters in, the Express app and the write
 * path out. Used by the API main, the embedded main and the test harness alike.
 */
export const composeApi = (config: Config, a: ApiAdapters) => {
  const { logger, metrics, clock, newId, sql } = a;
  if (config.errorRecovery.mlSuggestions)
    logger.warn(
      'ERROR_RECOVERY_ENABLE_ML_SUGGESTIONS=true has no effect: error suggestions are fixed texts per error code (no model proposes recovery steps)',
    );
  const eventStore = withAppendMetrics(a.eventStore, metrics);
  const tiers = a.snapshotTiers;
  const restore = createRestorer({ eventStore, tiers });
  const snapshotter = createSnapshotter(tiers, clock);
  const sessions = createSessionLoader({
    eventStore,
    restore,
    takeSnapshot: (state, position) => snapshotter.take(state, position),
    cacheSize: config.sessions.stateCacheSize,
    snapshotEvery: config.sessions.snapshotEvery,
  });
  const load = sessions.load;
  const handle = createCommandHandler({
    eventStore,
    newId,
    load,
    loadForCommand: sessions.loadForCommand,
    onConflict: () => metrics.appendConflicts.inc(),
    onCommitted: sessions.committed,
  });
  const cipher = createFieldCipher(a.keys);
  const limit = createRateLimit({
    limiter: a.rateLimiter,
    metrics,
    policies: config.rateLimit.policies,
    serviceAggregate: config.rateLimit.serviceAggregate,
    rolePolicies: config.rateLimit.rolePolicies,
    criticalResources: config.rateLimit.criticalResources,
    ownerOf: createSessionOwner(load),
    onDenied: createRateLimitRecorder({ load, handle, clock, logger, windowMs: 60_000 }),
  });
  const table = liveSessionSummaryTable;
  const models = createModelRepository(sql, config.risk.modelRefreshMs);
  // The DLQ retry's projection: it redrives the risk read model with the same scorer.
  const riskScorer = createRiskScorer(models);
  const projection = createLiveProjection(riskScorer);
  const groupId = config.consumers.projectorGroupId;
  const uploads: UploadDeps = {
    quota: a.uploadQuota,
    storage: a.storage,
    limits: config.uploads.limits,
    maxFileBytes: config.uploads.maxFileBytes,
    maxImagePixels: config.uploads.maxImagePixels,
    metrics,
    newId,
    sniffType: a.sniffType,
    reencodeImage: a.reencodeImage,
  };
  const risk = { restore, models, sql, riskTable: liveRiskTable, metrics };
  const analytics = {
    sql: a.analyticsSql ?? sql,
    table,
    funnelTable: liveFunnelTable,
    dropOffTable: liveDropOffTable,
    flows: a.flows,
    clock,
    cached: createCachedQuery(
      a.responseCache,
      metrics,
      {
        seconds: config.analytics.cacheTtlSeconds,
        byEndpoint: { funnel: config.analytics.funnelCacheTtlSeconds },
      },
      () => positionsVersion(sql),
    ),
    metrics,
    defaultTimeRangeHours: config.analytics.defaultTimeRangeHours,
    atRisk: atRiskFigures(risk),
  };
  const erase = createEraseSubject({ keys: a.keys, storage: a.storage, sql, eventStore });
  const projectionLag = createProjectionLag({
    sql,
    eventStore,
    projectionId: projection.id,
    groupId,
    category: onboardingCategory,
    topic: config.kafka.topic,
    topicEnds: a.topicEnds,
    clock,
  });
  const app = buildApp({
    logger,
    metrics,
    beforeScrape: createReadModelLagRefresh(projectionLag, metrics, logger),
    verifyToken: a.verifyToken,
    bodyLimitBytes: config.http.bodyLimitBytes,
    cors: config.cors,
    bodyMaxDepth: config.http.bodyMaxDepth,
    openApi: apiDocument(),
    health: {
      probes: a.probes,
      breakerState: () => a.rateLimiter.breakerState(),
      workers: {
        expected: a.expectedWorkers ?? [],
        staleAfterSeconds: config.heartbeats.staleAfterSeconds,
        read: () => latestHeartbeats(sql),
      },
      projectionLag,
    },
    sessionRouters: [
      createSessionRoutes({
        load,
        startSession: createStartSession({ eventStore, handle, newId, flows: a.flows }),
        appendActivities: createAppendActivities({ load: sessions.loadForCommand, handle, cipher }),
        clock,
        maxEventsPerRequest: config.http.maxEventsPerRequest,
        limit,
      }),
      createRecoveryRoutes({
        restore,
        saveCheckpoint: createSaveCheckpoint({
          restore,
          handle,
          cipher,
          snapshotter,
          settings: config.recovery,
          metrics,
        }),
        resumeSession: createResumeSession({ restore, handle, eventStore, cipher, metrics }),
        settings: config.recovery,
        clock,
        limit,
      }),
      createUploadRoutes({ load, handle, clock, uploads, cipher, limit }),
      createRiskRoutes({ ...risk, clock, limit }),
      createReplayRoutes({ eventStore, sql, limit }),
    ],
    analyticsRouter: createAnalyticsRoutes(analytics, limit),
    publicRouters: [createConsoleRoutes()],
    adminRouters: [
      createPrivacyRoutes({ sql, load, eventStore, cipher, storage: a.storage, erase, limit }),
      createDlqRoutes({
        sql,
        retry: createDeadLetterRetry({
          sql,
          eventStore,
          projections: new Map([[groupId, projection]]),
          metrics,
        }),
        basePath: apiBasePath,
        retentionDays: config.dlq.retentionDays,
        maxQueueSize: config.dlq.maxQueueSize,
        defaultTimeRangeHours: config.analytics.defaultTimeRangeHours,
        clock,
        limit,
      }),
    ],
  });
  return { app, handle, models, riskScorer };
};
