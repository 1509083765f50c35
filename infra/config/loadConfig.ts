import { CodedError } from '../../events/codedError';
import path from 'node:path';
import type { z } from 'zod';
import { configSchema } from './configSchema';

/**
 * The only reader of process.env. Parses, validates and freezes the whole configuration once at
 * start-up; every process receives slices of this object. Unset service URLs mean "embedded":
 * no DATABASE_URL → PGlite under WAYMARK_DATA_DIR; no KAFKA_BROKERS/REDIS_URL → those parts off.
 */
type Env = z.infer<typeof configSchema>;

const shape = (env: Env) => ({
  env: env.WAYMARK_ENV,
  http: {
    port: env.PORT,
    host: env.HOST,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    maxEventsPerRequest: env.MAX_EVENTS_PER_REQUEST,
  },
  dataDir: path.resolve(env.WAYMARK_DATA_DIR),
  database: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
  eventStore: {
    esdbConnectionString: env.EVENTSTORE_CONNECTION_STRING,
    groupCommit: env.APPEND_GROUP_COMMIT ? { maxEvents: env.APPEND_GROUP_MAX_EVENTS } : false,
  } as const,
  kafka: {
    brokers: env.KAFKA_BROKERS?.split(',').map((b) => b.trim()),
    clientId: env.KAFKA_CLIENT_ID,
    topic: env.KAFKA_TOPIC,
    topicPartitions: env.KAFKA_TOPIC_PARTITIONS,
  },
  redis: { url: env.REDIS_URL, commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS },
  auth: { secret: env.JWT_SECRET, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE },
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
  risk: { modelRefreshMs: env.RISK_MODEL_REFRESH_MS, candidateCap: env.RISK_AT_RISK_CANDIDATES },
  analytics: {
    inactiveMinutes: env.ANALYTICS_INACTIVE_MINUTES,
    cacheTtlSeconds: env.ANALYTICS_CACHE_TTL,
  },
  logLevel: env.LOG_LEVEL,
  flowsFile: env.FLOWS_FILE,
  relay: {
    relayId: env.RELAY_ID,
    categories: env.RELAY_CATEGORIES,
    batchSize: env.RELAY_BATCH_SIZE,
    pollIntervalMs: env.RELAY_POLL_INTERVAL_MS,
  },
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  /** Worker processes serve /metrics here when set. */
  metricsPort: env.METRICS_PORT,
  consumers: {
    projectorGroupId: env.PROJECTOR_GROUP_ID,
    dlqSinkGroupId: env.DLQ_SINK_GROUP_ID,
    maxRetryWindowMs: env.CONSUMER_MAX_RETRY_WINDOW_MS,
    embeddedFeedIntervalMs: env.EMBEDDED_FEED_INTERVAL_MS,
    maxBytesPerPartition: env.CONSUMER_MAX_BYTES_PER_PARTITION,
  },
  dlq: { maxRetries: env.DLQ_MAX_RETRIES, retentionDays: env.DLQ_RETENTION_DAYS },
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
    criticalResources: env.RATE_LIMITER_CRITICAL_RESOURCES,
    breakerThreshold: env.RATE_LIMITER_CIRCUIT_BREAKER_THRESHOLD,
    breakerResetMs: env.RATE_LIMITER_CIRCUIT_BREAKER_RESET_MS,
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

/** The configuration cannot be used: the process must not start (nothing to retry). */
export class ConfigError extends CodedError {
  constructor(message: string) {
    super({ code: 'invalid_configuration', category: 'unrecoverable' }, message);
  }
}

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
};

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const config = shape(parsed.data);
  if (config.env === 'production' && config.auth.secret === undefined) {
    throw new ConfigError('JWT_SECRET is required when WAYMARK_ENV=production');
  }
  if (config.env === 'production' && config.privacy.kek === undefined) {
    throw new ConfigError('PRIVACY_KEK is required when WAYMARK_ENV=production');
  }
  if (config.privacy.kek !== undefined && Buffer.from(config.privacy.kek, 'base64').length !== 32) {
    throw new ConfigError('PRIVACY_KEK must be 32 bytes, base64-encoded');
  }
  return deepFreeze(config);
};
