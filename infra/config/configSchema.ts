import { z } from 'zod';

/**
 * The environment variables Waymark reads, with their validation, defaults and descriptions.
 * loadConfig parses process.env with this schema; `npm run docs:config` renders the descriptions
 * and defaults into infra/config/README.md, and a unit test keeps that file in step.
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

/** A Kafka consumer group id; the projector's also names its DLQ topic. */
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
    .describe(
      'embedded PGlite data, the default upload storage and the development `JWT_SECRET` / `PRIVACY_KEK`',
    ),
  DATABASE_URL: optionalString.describe(
    'PostgreSQL for the event store (Message DB), relay checkpoints and read models; unset → embedded PGlite under `WAYMARK_DATA_DIR`',
  ),
  DATABASE_POOL_SIZE: int(10, 1).describe('pg pool size per process'),
  EVENTSTORE_CONNECTION_STRING: optionalString.describe(
    'use EventStoreDB as the event store instead of Message DB; unset → Message DB',
  ),
  KAFKA_BROKERS: optionalString.describe(
    'comma-separated brokers (relay; API health check); unset → no Kafka',
  ),
  KAFKA_CLIENT_ID: z.string().default('waymark').describe('Kafka client id prefix'),
  KAFKA_TOPIC: z.string().default('onboarding.events.v1').describe('the events topic'),
  KAFKA_TOPIC_PARTITIONS: int(3, 1).describe('partitions when the relay creates the topic'),
  REDIS_URL: optionalString.describe(
    'Redis for the shared rate limiter and upload quota (and the health check); unset → in-memory limiter and quota',
  ),
  JWT_SECRET: optionalString.describe(
    'HS256 secret, at least 32 bytes (shorter refuses to start); unset → generated into `WAYMARK_DATA_DIR` in development, required in production',
  ),
  JWT_ISSUER: z.string().default('waymark').describe('required `iss` of bearer tokens'),
  JWT_AUDIENCE: z.string().default('waymark-api').describe('required `aud` of bearer tokens'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`'),
  BODY_LIMIT_BYTES: int(256 * 1024, 1024).describe('JSON body limit (413 above)'),
  MAX_EVENTS_PER_REQUEST: int(100, 1).describe('events in one `sessions/{id}/events/` call'),
  FLOWS_FILE: optionalString.describe(
    'path of a JSON array of extra flows `{ "id", "version", "steps": [...] }`; unset → only the built-in flow',
  ),
  APPEND_GROUP_COMMIT: bool(true).describe(
    'share one transaction among concurrent appends (`true`/`false`/`1`/`0`)',
  ),
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
  RATE_LIMITER_KEY_PREFIX: z
    .string()
    .default('waymark:rl')
    .describe('Redis key prefix of the rate limiter'),
  RATE_LIMITER_STANDARD_LIMIT: int(100, 1).describe('requests per window for users'),
  RATE_LIMITER_STAFF_LIMIT: int(500, 1).describe('requests per window for staff'),
  RATE_LIMITER_WINDOW_SECONDS: int(300, 1).describe('window of the standard and staff limits'),
  RATE_LIMITER_CRITICAL_LIMIT: int(50, 1).describe(
    'requests per critical window for the critical resources',
  ),
  RATE_LIMITER_CRITICAL_WINDOW_SECONDS: int(3600, 1).describe('window of the critical limit'),
  RATE_LIMITER_CRITICAL_RESOURCES: list('session_start,uploads').describe(
    'comma-separated resources that get the critical limit and fail closed',
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
    'bytes per file, enforced while streaming (413 above)',
  ),
  ONBOARDING_MAX_IMAGE_PIXELS: int(50_000_000, 1).describe(
    'decoding cap for images (413 `image_too_large`)',
  ),
  UPLOAD_QUOTA_KEY_PREFIX: z
    .string()
    .default('waymark:uq')
    .describe('Redis key prefix of the upload quota'),
  UPLOAD_QUOTA_RETENTION_DAYS: int(30, 1).describe(
    "days a session's quota counts are kept after its last upload",
  ),
  UPLOAD_STORAGE_DIR: optionalString.describe(
    'local storage: `quarantine/` and `files/`; unset → `<WAYMARK_DATA_DIR>/uploads`',
  ),
  PRIVACY_KEK: optionalString.describe(
    'key-encryption key (32 bytes, base64) wrapping the subject keys; unset → generated into `WAYMARK_DATA_DIR` in development, required in production',
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
    'interval between passes of the abandonment detector',
  ),
  SESSION_ABANDONMENT_BATCH: int(500, 1).describe('sessions per pass of the abandonment detector'),
  PRIVACY_KEY_CACHE_MS: int(30_000, 0).describe(
    'how long a process keeps an unwrapped subject key',
  ),
  SESSION_RECOVERY_CHECKPOINT_TTL: int(3600, 1).describe(
    'seconds a snapshot stays in Redis (`session:checkpoint:{id}`); PostgreSQL keeps the history',
  ),
  SESSION_STATE_CACHE_SIZE: int(10_000, 0).describe(
    'sessions an API process keeps folded for the command path (least recently used dropped; each load still reads the stream tail); `0`: no cache',
  ),
  SESSION_SNAPSHOT_EVERY: int(100, 0).describe(
    'the command path snapshots a session once this many events are past its newest snapshot, so no load replays more; `0`: never',
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
      'relay, workers and detector serve `GET /metrics` on this port (`0`: any free port); unset → no metrics endpoint',
    ),
});
