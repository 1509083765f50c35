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

/** Consumer group ids also name Kafka topics (the DLQ topic), hence the narrow alphabet. */
const groupId = (fallback: string) =>
  z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/)
    .default(fallback);

/**
 * Every variable, in the order of the configuration reference (infra/config/README.md), which
 * `npm run docs:config` generates from these descriptions and defaults.
 */
export const configSchema = z.object({
  WAYMARK_ENV: z
    .enum(['development', 'production'])
    .default('development')
    .describe('`production` refuses to start without `JWT_SECRET` and `PRIVACY_KEK`'),
  PORT: int(8080).describe('API listen port (`0`: any free port, logged)'),
  HOST: z.string().default('0.0.0.0').describe('API listen address'),
  WAYMARK_DATA_DIR: z
    .string()
    .default('.waymark-data')
    .describe('embedded PGlite data, default upload storage and the development secrets'),
  DATABASE_URL: optionalString.describe(
    'PostgreSQL for the event store (Message DB), relay checkpoints, read models; unset → embedded PGlite',
  ),
  DATABASE_POOL_SIZE: int(10, 1).describe('pg pool size per process'),
  EVENTSTORE_CONNECTION_STRING: optionalString.describe(
    'use EventStoreDB as the event store instead of Message DB',
  ),
  KAFKA_BROKERS: optionalString.describe(
    'comma-separated brokers (relay; API health check); unset → no Kafka',
  ),
  KAFKA_CLIENT_ID: z.string().default('waymark').describe('Kafka client id prefix'),
  KAFKA_TOPIC: z.string().default('onboarding.events.v1').describe('the events topic'),
  KAFKA_TOPIC_PARTITIONS: int(3, 1).describe('partitions when the relay creates the topic'),
  REDIS_URL: optionalString.describe(
    'Redis for the shared rate limiter, upload quota and health check; unset → in-memory limiter and quota',
  ),
  JWT_SECRET: optionalString.describe(
    'HS256 secret, at least 32 bytes (shorter refuses to start); unset → development: generated into the data dir',
  ),
  JWT_ISSUER: z.string().default('waymark').describe('required `iss` of bearer tokens'),
  JWT_AUDIENCE: z.string().default('waymark-api').describe('required `aud` of bearer tokens'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino level'),
  BODY_LIMIT_BYTES: int(256 * 1024, 1024).describe('JSON body limit (413 above)'),
  MAX_EVENTS_PER_REQUEST: int(100, 1).describe('events in one `sessions/{id}/events/` call'),
  FLOWS_FILE: optionalString.describe(
    'JSON array of extra flows `{ "id", "version", "steps": [...] }`; unset → the built-in flow only',
  ),
  APPEND_GROUP_COMMIT: bool(true).describe('share one transaction among concurrent appends'),
  APPEND_GROUP_MAX_EVENTS: int(200, 1).describe('most events in one group-commit transaction'),
  RELAY_ID: z.string().default('relay-1').describe("names the relay's checkpoint rows"),
  RELAY_CATEGORIES: list('onboarding').describe('comma-separated categories the relay publishes'),
  RELAY_BATCH_SIZE: int(500, 1).describe('events per read and per Kafka send'),
  RELAY_POLL_INTERVAL_MS: int(100, 1).describe('idle poll interval of the relay'),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100).describe('graceful-shutdown deadline (SIGTERM/SIGINT)'),
  PROJECTOR_GROUP_ID: groupId('projector').describe(
    'consumer group of the session-summary projector (names its DLQ topic)',
  ),
  DLQ_SINK_GROUP_ID: groupId('dlq-sink').describe('consumer group of the DLQ sink'),
  DLQ_MAX_RETRIES: int(3, 0).describe(
    'retries of a dead letter before it is abandoned (force overrides)',
  ),
  DLQ_RETENTION_DAYS: int(30, 1).describe(
    'resolved/abandoned dead letters older than this are purged',
  ),
  CONSUMER_MAX_RETRY_WINDOW_MS: int(60_000, 100).describe(
    'longest a batch is retried before the consumer restarts',
  ),
  EMBEDDED_FEED_INTERVAL_MS: int(200, 10).describe(
    'embedded mode: poll interval of the in-process projection feed',
  ),
  CONSUMER_MAX_BYTES_PER_PARTITION: int(1_048_576, 1024).describe(
    'largest fetch per partition, hence batch size',
  ),
  REDIS_COMMAND_TIMEOUT_MS: int(50, 5).describe('ioredis command timeout (fail fast)'),
  RATE_LIMITER_KEY_PREFIX: z.string().default('waymark:rl').describe('Redis key prefix'),
  RATE_LIMITER_STANDARD_LIMIT: int(100, 1).describe('requests per window for users'),
  RATE_LIMITER_STAFF_LIMIT: int(500, 1).describe('requests per window for staff'),
  RATE_LIMITER_WINDOW_SECONDS: int(300, 1).describe('window of the standard and staff limits'),
  RATE_LIMITER_CRITICAL_LIMIT: int(50, 1).describe('requests per window for critical resources'),
  RATE_LIMITER_CRITICAL_WINDOW_SECONDS: int(3600, 1).describe('window of the critical limit'),
  RATE_LIMITER_CRITICAL_RESOURCES: list('session_start,uploads').describe(
    'resources that fail closed',
  ),
  RATE_LIMITER_CIRCUIT_BREAKER_THRESHOLD: int(5, 1).describe(
    'consecutive Redis failures that open the breaker',
  ),
  RATE_LIMITER_CIRCUIT_BREAKER_RESET_MS: int(300_000, 100).describe('open → half-open after this'),
  RATE_LIMITER_FALLBACK_LIMIT: int(50, 1).describe(
    'in-memory fallback, per hour per process (non-critical)',
  ),
  ONBOARDING_MAX_PHOTOS_PER_SESSION: int(50, 1).describe('photos per session'),
  ONBOARDING_MAX_DOCUMENTS_PER_SESSION: int(20, 1).describe('documents per session'),
  ONBOARDING_MAX_TOTAL_SIZE_PER_SESSION: int(100 * 1024 * 1024, 1).describe(
    'bytes per session (100 MiB)',
  ),
  ONBOARDING_MAX_PHOTOS_PER_MINUTE: int(10, 1).describe('photos per user per rolling 60 s (burst)'),
  ONBOARDING_MAX_CONCURRENT_UPLOADS: int(3, 1).describe('uploads in flight per user'),
  ONBOARDING_UPLOAD_WINDOW_MINUTES: int(15, 1).describe(
    'lease of a quota reservation: one never settled (crashed process) frees itself after this',
  ),
  ONBOARDING_MAX_FILE_SIZE_BYTES: int(10 * 1024 * 1024, 1024).describe(
    'per file, enforced while streaming (413)',
  ),
  ONBOARDING_MAX_IMAGE_PIXELS: int(50_000_000, 1).describe(
    'decoding cap for images (413 `image_too_large`)',
  ),
  UPLOAD_QUOTA_KEY_PREFIX: z
    .string()
    .default('waymark:uq')
    .describe('Redis key prefix of the quota'),
  UPLOAD_QUOTA_RETENTION_DAYS: int(30, 1).describe(
    "days a session's quota counts are kept after its last upload",
  ),
  UPLOAD_STORAGE_DIR: optionalString.describe(
    'local storage: `quarantine/` and `files/`; unset → `<WAYMARK_DATA_DIR>/uploads`',
  ),
  PRIVACY_KEK: optionalString.describe(
    'key-encryption key (32 bytes, base64) wrapping the subject keys; unset → development: generated into the data dir',
  ),
  ANALYTICS_INACTIVE_MINUTES: int(30, 1).describe(
    'an active session idle longer counts as dropped',
  ),
  ANALYTICS_CACHE_TTL: int(300, 0).describe(
    'seconds an analytics response stays in the Redis cache',
  ),
  SESSION_ABANDONMENT_THRESHOLD_SECONDS: int(1800, 1).describe(
    'an active session idle longer is marked abandoned',
  ),
  SESSION_ABANDONMENT_SCAN_INTERVAL_MS: int(60_000, 100).describe(
    'abandonment detector pass interval',
  ),
  SESSION_ABANDONMENT_BATCH: int(500, 1).describe('sessions per abandonment detector pass'),
  PRIVACY_KEY_CACHE_MS: int(30_000, 0).describe(
    'how long a process keeps an unwrapped subject key',
  ),
  SESSION_RECOVERY_CHECKPOINT_TTL: int(3600, 1).describe(
    'seconds a snapshot stays in Redis (`session:checkpoint:{id}`); PostgreSQL keeps the history',
  ),
  SESSION_RECOVERY_AUTO_CHECKPOINT_INTERVAL: int(30, 0).describe(
    'seconds within which a new checkpoint is `skipped` unless `force`',
  ),
  SESSION_RECOVERY_MAX_CHECKPOINT_BYTES: int(64 * 1024, 256).describe(
    'largest checkpoint payload (canonical JSON of `state` + `data`); 413 above',
  ),
  RISK_MODEL_REFRESH_MS: int(60_000, 1000).describe(
    'how long a process keeps the active risk model before looking for a newer one',
  ),
  RISK_AT_RISK_CANDIDATES: int(2000, 1).describe(
    'the most idle active sessions of a tenant that `admin/at-risk-sessions/` scores',
  ),
  METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe(
      'relay, workers and detector serve `GET /metrics` on this port (0: any free port); unset → off',
    ),
});

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
