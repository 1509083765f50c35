import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Parses, validates and freezes the whole configuration once at
 * start-up; every process receives slices of this object. Unset service URLs mean "embedded":
 * no DATABASE_URL → PGlite under WAYMARK_DATA_DIR; no KAFKA_BROKERS/REDIS_URL → those parts off.
 */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');
const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );

const schema = z.object({
  WAYMARK_ENV: z.enum(['development', 'production']).default('development'),
  PORT: int(8080),
  HOST: z.string().default('0.0.0.0'),
  WAYMARK_DATA_DIR: z.string().default('.waymark-data'),
  DATABASE_URL: optionalString,
  DATABASE_POOL_SIZE: int(10, 1),
  EVENTSTORE_CONNECTION_STRING: optionalString,
  KAFKA_BROKERS: optionalString,
  KAFKA_CLIENT_ID: z.string().default('waymark'),
  KAFKA_TOPIC: z.string().default('onboarding.events.v1'),
  KAFKA_TOPIC_PARTITIONS: int(3, 1),
  REDIS_URL: optionalString,
  JWT_SECRET: optionalString,
  JWT_ISSUER: z.string().default('waymark'),
  JWT_AUDIENCE: z.string().default('waymark-api'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: int(256 * 1024, 1024),
  MAX_EVENTS_PER_REQUEST: int(100, 1),
  FLOWS_FILE: optionalString,
  APPEND_GROUP_COMMIT: bool(true),
  APPEND_GROUP_MAX_EVENTS: int(200, 1),
  RELAY_ID: z.string().default('relay-1'),
  RELAY_CATEGORIES: list('onboarding'),
  RELAY_BATCH_SIZE: int(500, 1),
  RELAY_POLL_INTERVAL_MS: int(100, 1),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100),
  PROJECTOR_GROUP_ID: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/)
    .default('projector'),
  DLQ_SINK_GROUP_ID: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/)
    .default('dlq-sink'),
  DLQ_MAX_RETRIES: int(3, 0),
  DLQ_RETENTION_DAYS: int(30, 1),
  CONSUMER_MAX_RETRY_WINDOW_MS: int(60_000, 100),
  EMBEDDED_FEED_INTERVAL_MS: int(200, 10),
  CONSUMER_MAX_BYTES_PER_PARTITION: int(1_048_576, 1024),
  REDIS_COMMAND_TIMEOUT_MS: int(50, 5),
  RATE_LIMITER_KEY_PREFIX: z.string().default('waymark:rl'),
  RATE_LIMITER_STANDARD_LIMIT: int(100, 1),
  RATE_LIMITER_STAFF_LIMIT: int(500, 1),
  RATE_LIMITER_WINDOW_SECONDS: int(300, 1),
  RATE_LIMITER_CRITICAL_LIMIT: int(50, 1),
  RATE_LIMITER_CRITICAL_WINDOW_SECONDS: int(3600, 1),
  RATE_LIMITER_CRITICAL_RESOURCES: list('session_start,uploads'),
  RATE_LIMITER_CIRCUIT_BREAKER_THRESHOLD: int(5, 1),
  RATE_LIMITER_CIRCUIT_BREAKER_RESET_MS: int(300_000, 100),
  RATE_LIMITER_FALLBACK_LIMIT: int(50, 1),
  ONBOARDING_MAX_PHOTOS_PER_SESSION: int(50, 1),
  ONBOARDING_MAX_DOCUMENTS_PER_SESSION: int(20, 1),
  ONBOARDING_MAX_TOTAL_SIZE_PER_SESSION: int(100 * 1024 * 1024, 1),
  ONBOARDING_MAX_PHOTOS_PER_MINUTE: int(10, 1),
  ONBOARDING_MAX_CONCURRENT_UPLOADS: int(3, 1),
  ONBOARDING_UPLOAD_WINDOW_MINUTES: int(15, 1),
  ONBOARDING_MAX_FILE_SIZE_BYTES: int(10 * 1024 * 1024, 1024),
  ONBOARDING_MAX_IMAGE_PIXELS: int(50_000_000, 1),
  UPLOAD_QUOTA_KEY_PREFIX: z.string().default('waymark:uq'),
  UPLOAD_QUOTA_RETENTION_DAYS: int(30, 1),
  UPLOAD_STORAGE_DIR: optionalString,
  PRIVACY_KEK: optionalString,
  ANALYTICS_INACTIVE_MINUTES: int(30, 1),
  ANALYTICS_CACHE_TTL: int(300, 0),
  SESSION_ABANDONMENT_THRESHOLD_SECONDS: int(1800, 1),
  SESSION_ABANDONMENT_SCAN_INTERVAL_MS: int(60_000, 100),
  SESSION_ABANDONMENT_BATCH: int(500, 1),
  PRIVACY_KEY_CACHE_MS: int(30_000, 0),
  SESSION_RECOVERY_CHECKPOINT_TTL: int(3600, 1),
  SESSION_RECOVERY_AUTO_CHECKPOINT_INTERVAL: int(30, 0),
  SESSION_RECOVERY_MAX_CHECKPOINT_BYTES: int(64 * 1024, 256),
  RISK_MODEL_REFRESH_MS: int(60_000, 1000),
  RISK_AT_RISK_CANDIDATES: int(2000, 1),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

type Env = z.infer<typeof schema>;

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

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
};

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = schema.safeParse(env);
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
