import { randomUUID } from 'node:crypto';
import { createJwtVerifier } from './auth/jwt';
import { resolveHmacSecret, resolvePrivacyKek } from './auth/resolveSecret';
import type { Config } from './config/loadConfig';
import { loadFlows } from './config/loadFlows';
import { openDatabase, openEventStore } from './eventStore/openEventStore';
import { createKafka } from './kafka/createKafka';
import { createKafkaProbe } from './kafka/kafkaProbe';
import type { Closer } from './lifecycle/shutdown';
import type { Logger } from './observability/logger';
import type { Metrics } from './observability/metrics';
import { createOutageReporter } from './observability/outageReporter';
import { createPgSqlClient } from './postgres/pgSqlClient';
import type { SqlClient } from './postgres/sqlClient';
import { createPgKeyStore } from './privacy/pgKeyStore';
import { createMemoryRateLimiter } from './rateLimit/memoryRateLimiter';
import { createRedisRateLimiter } from './rateLimit/redisRateLimiter';
import { connectRedis, redisReady, type RedisClient } from './redis/createRedis';
import { createRedisResponseCache, noResponseCache } from './redis/responseCache';
import { createMemorySnapshotStore } from './snapshots/memorySnapshotStore';
import { createPgSnapshotStore } from './snapshots/pgSnapshotStore';
import { createRedisSnapshotStore } from './snapshots/redisSnapshotStore';
import { createLocalFileStorage, prepareLocalFileStorage } from './storage/localFileStorage';
import { reencodeImage } from './uploads/imageSanitizer';
import { createMemoryUploadQuota } from './uploads/memoryUploadQuota';
import { createRedisUploadQuota } from './uploads/redisUploadQuota';
import { sniffType } from './uploads/sniffType';

/** Kafka (health probe, lag) and Redis are optional: absent when their URLs are not set. */
const optionalServices = async (config: Config, logger: Logger) => {
  const kafka = config.kafka.brokers
    ? createKafkaProbe(
        createKafka(
          {
            brokers: config.kafka.brokers,
            clientId: `${config.kafka.clientId}-api`,
            security: config.kafka.security,
          },
          logger,
        ),
      )
    : null;
  const redis = config.redis.url ? connectRedis({ ...config.redis, url: config.redis.url }) : null;
  // ioredis emits an error per reconnect attempt: one warning per outage, and a line when back.
  const outage = createOutageReporter(logger, 'redis');
  redis?.on('error', (error: Error) => outage.failed(error.message));
  redis?.on('ready', () => outage.succeeded());
  if (redis && !(await redisReady(redis, 3_000))) {
    logger.warn('Redis not ready at start-up; the rate limiter falls back');
  }
  return { kafka, redis };
};

/** What Redis serves when it is configured, and its in-process stand-ins when it is not. */
const redisOrMemory = (config: Config, redis: RedisClient | null, metrics: Metrics) => {
  const ttl = config.recovery.snapshotTtlSeconds;
  if (redis === null)
    return {
      uploadQuota: createMemoryUploadQuota(config.uploads.limits),
      rateLimiter: createMemoryRateLimiter(config.rateLimit.keyPrefix),
      fastSnapshots: { name: 'memory', store: createMemorySnapshotStore(ttl) },
      responseCache: noResponseCache,
    };
  return {
    uploadQuota: createRedisUploadQuota(redis, config.uploads),
    rateLimiter: createRedisRateLimiter(redis, config.rateLimit, metrics),
    fastSnapshots: { name: 'redis', store: createRedisSnapshotStore(redis, ttl) },
    responseCache: createRedisResponseCache(redis),
  };
};

/** Analytics only read, and read a lot: a replica (DATABASE_READ_URL) takes that off the primary. */
const openReadReplica = (config: Config, applicationName: string) =>
  config.database.readUrl === undefined
    ? undefined
    : createPgSqlClient({
        connectionString: config.database.readUrl,
        maxConnections: config.database.poolSize,
        applicationName: `${applicationName}-analytics`,
      });

/** Shut down in this order: clients first, the primary's pool last. */
const closersOf = (open: {
  kafka: { close: () => Promise<void> } | null;
  redis: RedisClient | null;
  /** Only EventStoreDB's: Message DB's store closes nothing of its own (the pool does). */
  store: { close: () => Promise<void> } | null;
  analyticsSql: SqlClient | undefined;
  database: SqlClient;
}): Closer[] => {
  const { kafka, redis, store, analyticsSql, database } = open;
  return [
    ...(kafka ? [{ name: 'kafka', close: kafka.close }] : []),
    ...(redis ? [{ name: 'redis', close: async () => void (await redis.quit()) }] : []),
    ...(store ? [{ name: 'event store', close: () => store.close() }] : []),
    ...(analyticsSql ? [{ name: 'read replica', close: () => analyticsSql.close() }] : []),
    { name: 'database', close: () => database.close() },
  ];
};

/**
 * The concrete adapters an API process runs on, chosen by configuration: PostgreSQL or embedded
 * PGlite (migrated), Message DB or EventStoreDB, Redis or in-process limiter, quota and snapshot
 * tier, Kafka for lag and health when configured. `closers` shut them down in order.
 */
export const openApiAdapters = async (
  config: Config,
  deps: Readonly<{
    applicationName: string;
    logger: Logger;
    metrics: Metrics;
    migrationDirs: readonly string[];
    /** `npm start` migrates; the API process of service mode waits for `npm run db:migrate`. */
    schema: 'migrate' | 'await';
  }>,
) => {
  const { logger, metrics } = deps;
  const database = await openDatabase(config, deps.applicationName, deps.migrationDirs, {
    schema: deps.schema,
    logger,
  });
  const { store, kind } = openEventStore(config, database);
  const { kafka, redis } = await optionalServices(config, logger);
  const secret = await resolveHmacSecret(config.auth, config.dataDir);
  const kek = await resolvePrivacyKek(config.privacy.kek, config.dataDir);
  const { storageDir } = config.uploads;
  await prepareLocalFileStorage(storageDir);
  const edge = redisOrMemory(config, redis, metrics);
  const analyticsSql = openReadReplica(config, deps.applicationName);
  const closers = closersOf({
    kafka,
    redis,
    store: config.eventStore.esdbConnectionString ? store : null,
    analyticsSql,
    database: database.sql,
  });
  return {
    logger,
    metrics,
    clock: () => new Date(),
    newId: () => randomUUID(),
    sql: database.sql,
    ...(analyticsSql ? { analyticsSql } : {}),
    eventStore: store,
    verifyToken: createJwtVerifier({ ...config.auth, secret }),
    flows: await loadFlows(config.flowsFile),
    keys: createPgKeyStore(database.sql, kek, config.privacy.keyCacheMs),
    storage: createLocalFileStorage(storageDir),
    uploadQuota: edge.uploadQuota,
    rateLimiter: edge.rateLimiter,
    // Read in this order: the fast tier first, the durable one last.
    snapshotTiers: [
      edge.fastSnapshots,
      { name: 'postgresql', store: createPgSnapshotStore(database.sql) },
    ],
    responseCache: edge.responseCache,
    sniffType,
    reencodeImage,
    probes: {
      event_store: () => store.ping(),
      database: async () => void (await database.sql.query('SELECT 1')),
      kafka: kafka ? kafka.probe : null,
      redis: redis ? async () => void (await redis.ping()) : null,
    },
    topicEnds: kafka ? () => kafka.topicEnds(config.kafka.topic) : null,
    closers,
    /** What the process runs on, for its start-up log line (no secrets). */
    describe: {
      eventStore: kind,
      database:
        database.kind === 'embedded-pglite'
          ? `embedded PGlite at ${database.location}`
          : database.location,
      kafka: config.kafka.brokers?.join(',') ?? 'disabled (KAFKA_BROKERS not set)',
      redis: redis ? 'configured' : 'disabled (REDIS_URL not set)',
      auth: [
        ...(secret === undefined ? [] : ['HS256']),
        ...(config.auth.jwks ? [`JWKS ${config.auth.jwks.url}`] : []),
      ].join(' + '),
    },
  };
};
