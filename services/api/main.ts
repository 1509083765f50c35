import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createJwtVerifier } from '../../infra/auth/jwt';
import { resolvePrivacyKek, resolveJwtSecret } from '../../infra/auth/resolveSecret';
import { createFieldCipher } from '../../infra/privacy/fieldCipher';
import { createPgKeyStore } from '../../infra/privacy/pgKeyStore';
import { loadConfig, type Config } from '../../infra/config/loadConfig';
import { loadFlows } from '../../infra/config/loadFlows';
import { openDatabase, openEventStore } from '../../infra/eventStore/openEventStore';
import { onShutdown, type Closer } from '../../infra/lifecycle/shutdown';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics, type Metrics } from '../../infra/observability/metrics';
import type { Redis } from 'ioredis';
import { createCommandHandler } from '../sessions/handleCommand';
import { createStartSession } from '../sessions/startSession';
import { createSessionSummaryProjection } from '../../projections/sessionSummary/sessionSummaryProjection';
import { createDeadLetterRetry } from '../dlq/retryDeadLetter';
import { createEmbeddedFeeder } from '../projector/embeddedFeeder';
import { createProjectionLag } from '../projector/projectionLag';
import { onboardingCategory } from '../../events/streamNames';
import { createRedisRateLimiter } from '../../infra/rateLimit/redisRateLimiter';
import { createMemoryRateLimiter } from '../../infra/rateLimit/memoryRateLimiter';
import { createRateLimit, type RateLimitDeps } from './middleware/rateLimit';
import { createRateLimitRecorder } from '../sessions/rateLimitRecorder';
import {
  createLocalFileStorage,
  prepareLocalFileStorage,
} from '../../infra/storage/localFileStorage';
import { reencodeImage } from '../../infra/uploads/imageSanitizer';
import { sniffType } from '../../infra/uploads/sniffType';
import { createMemoryUploadQuota } from '../../infra/uploads/memoryUploadQuota';
import { createRedisUploadQuota } from '../../infra/uploads/redisUploadQuota';
import { buildApp } from './app';
import { optionalServices } from '../../infra/optionalServices';
import { embeddedClosers, embeddedDetector, started } from '../embedded/embeddedWorkers';
import { createRedisResponseCache, noResponseCache } from '../../infra/redis/responseCache';
import { createEraseSubject } from '../privacy/eraseSubject';
import { liveSessionSummaryTable } from '../../projections/sessionSummary/sessionSummaryTable';
import type { UploadDeps } from '../uploads/intake';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { createRedisSnapshotStore } from '../../infra/snapshots/redisSnapshotStore';
import { createMemorySnapshotStore } from '../../infra/snapshots/memorySnapshotStore';
import { createPgSnapshotStore } from '../../infra/snapshots/pgSnapshotStore';
import { createRestorer } from '../recovery/restoreSession';
import { createSnapshotter } from '../recovery/snapshotter';
import { createModelRepository } from '../risk/modelRepository';
import type { EventStore } from '../../infra/eventStore/eventStore';

/** Redis-backed limiter with breaker when REDIS_URL is set; in-memory (embedded) otherwise. */
const rateLimitFor = (
  config: Config,
  redis: Redis | null,
  metrics: Metrics,
  onDenied: RateLimitDeps['onDenied'],
) =>
  createRateLimit({
    onDenied,
    limiter: redis
      ? createRedisRateLimiter(redis, config.rateLimit, metrics)
      : createMemoryRateLimiter(config.rateLimit.keyPrefix),
    metrics,
    policies: config.rateLimit.policies,
    criticalResources: config.rateLimit.criticalResources,
  });

/** Upload quota in Redis when configured (fail closed if it fails), in memory when embedded. */
const uploadsFor = async (
  config: Config,
  redis: Redis | null,
  metrics: Metrics,
  newId: () => string,
): Promise<UploadDeps> => {
  const { limits, storageDir } = config.uploads;
  await prepareLocalFileStorage(storageDir);
  return {
    quota: redis ? createRedisUploadQuota(redis, config.uploads) : createMemoryUploadQuota(limits),
    storage: createLocalFileStorage(storageDir),
    limits,
    maxFileBytes: config.uploads.maxFileBytes,
    maxImagePixels: config.uploads.maxImagePixels,
    metrics,
    newId,
    sniffType,
    reencodeImage,
  };
};

/** Snapshot tiers: Redis (or memory when embedded) for speed, PostgreSQL for durability. */
const recoveryFor = (config: Config, redis: Redis | null, sql: SqlClient, store: EventStore) => {
  const ttl = config.recovery.snapshotTtlSeconds;
  const tiers = [
    redis
      ? { name: 'redis', store: createRedisSnapshotStore(redis, ttl) }
      : { name: 'memory', store: createMemorySnapshotStore(ttl) },
    { name: 'postgresql', store: createPgSnapshotStore(sql) },
  ];
  return {
    restore: createRestorer({ eventStore: store, tiers }),
    snapshotter: createSnapshotter(tiers, () => new Date()),
    settings: config.recovery,
  };
};

/** Composition root of the API process: config → adapters → app → listen → graceful shutdown. */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const metrics = createMetrics();
  const secret = await resolveJwtSecret(config.auth.secret, config.dataDir);
  const verifyToken = createJwtVerifier({ ...config.auth, secret });
  const flows = await loadFlows(config.flowsFile);
  const database = await openDatabase(config, 'waymark-api');
  const { store, kind } = openEventStore(config, database);
  const { kafka, redis } = await optionalServices(config, logger);

  const newId = () => randomUUID();
  const kek = await resolvePrivacyKek(config.privacy.kek, config.dataDir);
  const keys = createPgKeyStore(database.sql, kek, config.privacy.keyCacheMs);
  const cipher = createFieldCipher(keys);
  const projection = createSessionSummaryProjection();
  await database.sql.transaction((tx) => projection.ensureSchema(tx));
  const groupId = config.consumers.projectorGroupId;
  // Embedded mode (no Kafka): the same projection, fed in-process from the event store's log.
  const feeder = kafka
    ? null
    : started(
        createEmbeddedFeeder({
          eventStore: store,
          sql: database.sql,
          projection,
          logger,
          groupId,
          category: onboardingCategory,
          intervalMs: config.consumers.embeddedFeedIntervalMs,
          maxRetries: config.dlq.maxRetries,
        }),
      );
  const uploads = await uploadsFor(config, redis, metrics, newId);
  const handle = createCommandHandler({
    eventStore: store,
    newId,
    onConflict: () => metrics.appendConflicts.inc(),
  });
  const recordRateLimitHit = createRateLimitRecorder({
    eventStore: store,
    handle,
    clock: () => new Date(),
    logger,
    windowMs: 60_000,
  });
  const models = createModelRepository(database.sql, config.risk.modelRefreshMs);
  // Embedded mode is one process: it runs the abandonment detector too (service mode: start:detector).
  const detector = feeder
    ? embeddedDetector(
        config,
        { sql: database.sql, eventStore: store, handle, metrics, models },
        logger,
      )
    : null;
  const app = buildApp({
    logger,
    metrics,
    verifyToken,
    bodyLimitBytes: config.http.bodyLimitBytes,
    probes: {
      event_store: () => store.ping(),
      database: async () => void (await database.sql.query('SELECT 1')),
      kafka: kafka ? kafka.probe : null,
      redis: redis ? async () => void (await redis.ping()) : null,
    },
    dlq: {
      sql: database.sql,
      retry: createDeadLetterRetry({
        sql: database.sql,
        eventStore: store,
        projections: new Map([[groupId, projection]]),
      }),
      retentionDays: config.dlq.retentionDays,
    },
    projectionLag: createProjectionLag({
      sql: database.sql,
      projectionId: projection.id,
      groupId,
      category: onboardingCategory,
      topic: config.kafka.topic,
      topicEnds: kafka ? () => kafka.topicEnds(config.kafka.topic) : null,
    }),
    uploads,
    recovery: recoveryFor(config, redis, database.sql, store),
    risk: { models, candidateCap: config.risk.candidateCap },
    analytics: {
      sql: database.sql,
      table: liveSessionSummaryTable,
      inactiveMinutes: config.analytics.inactiveMinutes,
      cache: redis ? createRedisResponseCache(redis) : noResponseCache,
      cacheTtlSeconds: config.analytics.cacheTtlSeconds,
    },
    privacy: {
      sql: database.sql,
      erase: createEraseSubject({
        keys,
        storage: uploads.storage,
        sql: database.sql,
        eventStore: store,
        sessionTable: liveSessionSummaryTable,
      }),
    },
    sessions: {
      cipher,
      limit: rateLimitFor(config, redis, metrics, recordRateLimitHit),
      eventStore: store,
      handle,
      startSession: createStartSession({ eventStore: store, handle, newId }),
      flows,
      clock: () => new Date(),
      maxEventsPerRequest: config.http.maxEventsPerRequest,
    },
  });

  const server = app.listen(config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) =>
    server.once('listening', resolve).once('error', reject),
  );
  const { port } = server.address() as AddressInfo;
  logger.info(
    {
      port,
      eventStore: kind,
      database:
        database.kind === 'embedded-pglite'
          ? `embedded PGlite at ${database.location}`
          : database.location,
      kafka: config.kafka.brokers
        ? config.kafka.brokers.join(',')
        : 'disabled (KAFKA_BROKERS not set)',
      redis: redis ? 'configured' : 'disabled (REDIS_URL not set)',
      flows: [...flows.keys()],
    },
    `waymark api listening on http://${config.http.host}:${port}${'/api/v1/onboarding/'}`,
  );

  const closers: Closer[] = [
    { name: 'http', close: () => new Promise<void>((resolve) => server.close(() => resolve())) },
    ...embeddedClosers(feeder, detector),
    ...(kafka ? [{ name: 'kafka', close: kafka.close }] : []),
    ...(redis ? [{ name: 'redis', close: async () => void (await redis.quit()) }] : []),
    {
      name: 'event store',
      close: () => (config.eventStore.esdbConnectionString ? store.close() : Promise.resolve()),
    },
    { name: 'database', close: () => database.sql.close() },
  ];
  onShutdown(logger, closers, config.shutdownTimeoutMs);
};

main().catch((error: unknown) => {
  process.stderr.write(
    `waymark api failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
