import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import type { RatePolicy } from '../rateLimit/rateLimiter';
import { checkCorsOrigins, checkJwksUrl, jwksSettings } from './authSettings';
import { configSchema } from './configSchema';
import { ConfigError } from './configError';

/**
 * The only reader of process.env. Parses, validates and freezes the whole configuration once at
 * start-up; every process receives slices of this object. Unset service URLs mean "embedded":
 * no DATABASE_URL → PGlite under WAYMARK_DATA_DIR; no KAFKA_BROKERS/REDIS_URL → those parts off.
 */
type Env = z.infer<typeof configSchema>;

/** `service=1000/300,admin=800/300` → one named policy per role (validated: known roles only). */
const parseRolePolicies = (entries: readonly string[]) =>
  Object.fromEntries(
    entries.map((entry) => {
      const match = /^(user|service|admin|superadmin)=(\d+)\/(\d+)$/.exec(entry);
      if (!match?.[1] || Number(match[2]) < 1 || Number(match[3]) < 1) {
        throw new ConfigError(
          'RATE_LIMITER_ROLE_POLICIES: each entry is role=points/seconds with role user, service, admin or superadmin',
        );
      }
      const role = match[1];
      return [role, { name: role, points: Number(match[2]), durationSeconds: Number(match[3]) }];
    }),
  ) as Partial<Record<'user' | 'service' | 'admin' | 'superadmin', RatePolicy>>;

/** `host:port,host:port` → [{ host, port }]; undefined when unset. */
const hostPorts = (list: string | undefined) =>
  list
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const at = s.lastIndexOf(':');
      return { host: s.slice(0, at), port: Number(s.slice(at + 1)) };
    });

/** TLS and SASL for kafkajs; the CA file is read by createKafka (this module reads env only). */
const kafkaSecurity = (env: Env) => ({
  ssl: env.KAFKA_SSL,
  caFile: env.KAFKA_SSL_CA_FILE,
  sasl:
    env.KAFKA_SASL_MECHANISM === 'none'
      ? undefined
      : {
          mechanism: env.KAFKA_SASL_MECHANISM,
          username: env.KAFKA_SASL_USERNAME ?? '',
          password: env.KAFKA_SASL_PASSWORD ?? '',
        },
});

const shape = (env: Env) => ({
  env: env.WAYMARK_ENV,
  http: {
    port: env.PORT,
    host: env.HOST,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    bodyMaxDepth: env.BODY_MAX_DEPTH,
    maxEventsPerRequest: env.MAX_EVENTS_PER_REQUEST,
  },
  dataDir: path.resolve(env.WAYMARK_DATA_DIR),
  database: {
    url: env.DATABASE_URL,
    poolSize: env.DATABASE_POOL_SIZE,
    schemaWaitTimeoutMs: env.SCHEMA_WAIT_TIMEOUT_MS,
    readUrl: env.DATABASE_READ_URL,
  },
  eventStore: {
    esdbConnectionString: env.EVENTSTORE_CONNECTION_STRING,
    groupCommit: env.APPEND_GROUP_COMMIT ? { maxEvents: env.APPEND_GROUP_MAX_EVENTS } : false,
  } as const,
  kafka: {
    brokers: env.KAFKA_BROKERS?.split(',').map((b) => b.trim()),
    clientId: env.KAFKA_CLIENT_ID,
    topic: env.KAFKA_TOPIC,
    topicPartitions: env.KAFKA_TOPIC_PARTITIONS,
    dlqTopicPartitions: env.KAFKA_DLQ_TOPIC_PARTITIONS,
    security: kafkaSecurity(env),
  },
  redis: {
    url: env.REDIS_URL,
    commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
    sentinels: hostPorts(env.REDIS_SENTINELS),
    sentinelMaster: env.REDIS_SENTINEL_MASTER,
    clusterNodes: hostPorts(env.REDIS_CLUSTER_NODES),
  },
  auth: {
    secret: env.JWT_SECRET,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    tenantClaim: env.JWT_TENANT_CLAIM,
    roleClaim: env.JWT_ROLE_CLAIM,
    jwks: jwksSettings(env),
  },
  cors: { allowedOrigins: env.CORS_ALLOWED_ORIGINS, maxAgeSeconds: env.CORS_MAX_AGE_SECONDS },
  privacy: { kek: env.PRIVACY_KEK, keyCacheMs: env.PRIVACY_KEY_CACHE_MS },
  abandonment: {
    thresholdSeconds: env.SESSION_ABANDONMENT_THRESHOLD_SECONDS,
    scanIntervalMs: env.SESSION_ABANDONMENT_SCAN_INTERVAL_MS,
    batchSize: env.SESSION_ABANDONMENT_BATCH,
  },
  recovery: {
    snapshotTtlSeconds: env.SESSION_RECOVERY_CHECKPOINT_TTL,
    minCheckpointIntervalMs: env.SESSION_RECOVERY_AUTO_CHECKPOINT_INTERVAL * 1000,
    maxCheckpointBytes: env.SESSION_RECOVERY_MAX_CHECKPOINT_BYTES,
  },
  sessions: {
    stateCacheSize: env.SESSION_STATE_CACHE_SIZE,
    snapshotEvery: env.SESSION_SNAPSHOT_EVERY,
  },
  risk: {
    modelRefreshMs: env.RISK_MODEL_REFRESH_MS,
    rescoreIntervalMs: env.RISK_RESCORE_INTERVAL_MS,
    rescoreBatch: env.RISK_RESCORE_BATCH,
  },
  analytics: {
    cacheTtlSeconds: env.ANALYTICS_CACHE_TTL,
    funnelCacheTtlSeconds: env.FUNNEL_ANALYTICS_CACHE_TTL,
    defaultTimeRangeHours: env.ANALYTICS_DEFAULT_TIME_RANGE_HOURS,
  },
  logLevel: env.LOG_LEVEL,
  flowsFile: env.FLOWS_FILE,
  relay: {
    relayId: env.RELAY_ID,
    categories: env.RELAY_CATEGORIES,
    batchSize: env.RELAY_BATCH_SIZE,
    pollIntervalMs: env.RELAY_POLL_INTERVAL_MS,
  },
  leadership: {
    ttlMs: env.LEADER_LEASE_TTL_MS,
    renewMs: env.LEADER_LEASE_RENEW_MS,
    instanceId:
      env.WAYMARK_INSTANCE_ID ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
  },
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  heartbeats: {
    intervalMs: env.WORKER_HEARTBEAT_INTERVAL_MS,
    staleAfterSeconds: env.WORKER_HEARTBEAT_STALE_SECONDS,
  },
  /** Worker processes serve /metrics here when set. */
  metricsPort: env.METRICS_PORT,
  consumers: {
    projectorGroupId: env.PROJECTOR_GROUP_ID,
    dlqSinkGroupId: env.DLQ_SINK_GROUP_ID,
    maxRetryWindowMs: env.CONSUMER_MAX_RETRY_WINDOW_MS,
    embeddedFeedIntervalMs: env.EMBEDDED_FEED_INTERVAL_MS,
    maxBytesPerPartition: env.CONSUMER_MAX_BYTES_PER_PARTITION,
    sessionTimeoutMs: env.CONSUMER_SESSION_TIMEOUT_MS,
  },
  dlq: {
    maxRetries: env.DLQ_MAX_RETRIES,
    retentionDays: env.DLQ_RETENTION_DAYS,
    maxQueueSize: env.DLQ_MAX_QUEUE_SIZE,
    recoveryLogRetentionDays: env.ERROR_RECOVERY_LOG_RETENTION_DAYS,
  },
  /** The seed's error-recovery switch: nothing to switch (infra/config/dlqFields.ts says why). */
  errorRecovery: { mlSuggestions: env.ERROR_RECOVERY_ENABLE_ML_SUGGESTIONS },
  rateLimit: {
    keyPrefix: env.RATE_LIMITER_KEY_PREFIX,
    policies: {
      standard: {
        name: 'standard',
        points: env.RATE_LIMITER_STANDARD_LIMIT,
        durationSeconds: env.RATE_LIMITER_WINDOW_SECONDS,
      },
      staff: {
        name: 'staff',
        points: env.RATE_LIMITER_STAFF_LIMIT,
        durationSeconds: env.RATE_LIMITER_WINDOW_SECONDS,
      },
      critical: {
        name: 'critical',
        points: env.RATE_LIMITER_CRITICAL_LIMIT,
        durationSeconds: env.RATE_LIMITER_CRITICAL_WINDOW_SECONDS,
      },
    },
    serviceAggregate: {
      name: 'service_aggregate',
      points: env.RATE_LIMITER_SERVICE_AGGREGATE_LIMIT,
      durationSeconds: env.RATE_LIMITER_SERVICE_AGGREGATE_WINDOW_SECONDS,
    },
    rolePolicies: parseRolePolicies(env.RATE_LIMITER_ROLE_POLICIES),
    criticalResources: env.RATE_LIMITER_CRITICAL_RESOURCES,
    breakerThreshold: env.RATE_LIMITER_CIRCUIT_BREAKER_THRESHOLD,
    breakerResetMs: env.RATE_LIMITER_CIRCUIT_BREAKER_RESET_MS,
    breakerProbeMs: env.RATE_LIMITER_CIRCUIT_BREAKER_PROBE_MS,
    fallbackPerHour: env.RATE_LIMITER_FALLBACK_LIMIT,
  },
  uploads: {
    limits: {
      maxPhotosPerSession: env.ONBOARDING_MAX_PHOTOS_PER_SESSION,
      maxDocumentsPerSession: env.ONBOARDING_MAX_DOCUMENTS_PER_SESSION,
      maxBytesPerSession: env.ONBOARDING_MAX_TOTAL_SIZE_PER_SESSION,
      maxPhotosPerMinute: env.ONBOARDING_MAX_PHOTOS_PER_MINUTE,
      maxConcurrentUploads: env.ONBOARDING_MAX_CONCURRENT_UPLOADS,
      leaseSeconds: env.ONBOARDING_UPLOAD_WINDOW_MINUTES * 60,
    },
    maxFileBytes: env.ONBOARDING_MAX_FILE_SIZE_BYTES,
    maxImagePixels: env.ONBOARDING_MAX_IMAGE_PIXELS,
    keyPrefix: env.UPLOAD_QUOTA_KEY_PREFIX,
    keepSeconds: env.UPLOAD_QUOTA_RETENTION_DAYS * 86_400,
    storageDir: path.resolve(env.UPLOAD_STORAGE_DIR ?? path.join(env.WAYMARK_DATA_DIR, 'uploads')),
  },
});

export type Config = Readonly<ReturnType<typeof shape>>;
export { ConfigError };

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
};

/** Combinations of the cluster-client settings that cannot work. */
const checkConnections = (config: ReturnType<typeof shape>): void => {
  const { sasl } = config.kafka.security;
  if (sasl !== undefined && (sasl.username === '' || sasl.password === '')) {
    throw new ConfigError(
      'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required with KAFKA_SASL_MECHANISM',
    );
  }
  const { sentinels, clusterNodes } = config.redis;
  const bad = (n: { host: string; port: number }) =>
    n.host === '' || !Number.isInteger(n.port) || n.port <= 0;
  if ([sentinels, clusterNodes].some((l) => l?.some(bad))) {
    throw new ConfigError('REDIS_SENTINELS and REDIS_CLUSTER_NODES are host:port lists');
  }
  if (sentinels !== undefined && clusterNodes !== undefined) {
    throw new ConfigError('set REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both');
  }
};

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const config = shape(parsed.data);
  if (
    config.env === 'production' &&
    config.auth.secret === undefined &&
    config.auth.jwks === undefined
  ) {
    throw new ConfigError('JWT_SECRET or JWT_JWKS_URL is required when WAYMARK_ENV=production');
  }
  checkJwksUrl(config.env, config.auth.jwks?.url);
  checkCorsOrigins(config.cors.allowedOrigins);
  if (config.env === 'production' && config.privacy.kek === undefined) {
    throw new ConfigError('PRIVACY_KEK is required when WAYMARK_ENV=production');
  }
  checkConnections(config);
  if (config.privacy.kek !== undefined && Buffer.from(config.privacy.kek, 'base64').length !== 32) {
    throw new ConfigError('PRIVACY_KEK must be 32 bytes, base64-encoded');
  }
  if (config.leadership.renewMs * 3 > config.leadership.ttlMs) {
    throw new ConfigError('LEADER_LEASE_RENEW_MS must be at most a third of LEADER_LEASE_TTL_MS');
  }
  return deepFreeze(config);
};
