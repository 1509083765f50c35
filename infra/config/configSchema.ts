import { z } from 'zod';
import { authFields, corsFields } from './authConfigSchema';
import { bool, groupId, int, list, optionalString } from './configFields';
import { dlqFields } from './dlqFields';

/**
 * The environment variables Waymark reads, with their validation, defaults and descriptions, in
 * the order of the configuration reference: loadConfig parses process.env with this schema;
 * `npm run docs:config` renders infra/config/README.md from it (a unit test keeps it in step).
 */
export const configSchema = z.object({
  WAYMARK_ENV: z
    .enum(['development', 'production'])
    .default('development')
    .describe(
      '`production` refuses to start without `PRIVACY_KEK` and without `JWT_SECRET` or `JWT_JWKS_URL`',
    ),
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
  DATABASE_READ_URL: optionalString.describe(
    'a read replica for the analytics queries (funnels, cohorts, dashboards); unset → `DATABASE_URL`. Replica lag shows as slightly older figures',
  ),
  SCHEMA_WAIT_TIMEOUT_MS: int(300_000, 0).describe(
    'service processes wait this long for `npm run db:migrate` to bring the schema to their version, then exit 1',
  ),
  EVENTSTORE_CONNECTION_STRING: optionalString.describe(
    'use EventStoreDB as the event store instead of Message DB; unset → Message DB',
  ),
  KAFKA_BROKERS: optionalString.describe(
    'comma-separated brokers (relay; API health check); unset → no Kafka',
  ),
  KAFKA_CLIENT_ID: z.string().default('waymark').describe('Kafka client id prefix'),
  KAFKA_TOPIC: z.string().default('onboarding.events.v1').describe('the events topic'),
  KAFKA_TOPIC_PARTITIONS: int(12, 1).describe(
    'partitions of the events topic when the relay or projector creates it: the most projector processes that can share the work',
  ),
  KAFKA_SSL: bool(false).describe(
    'TLS to the brokers (`true`/`false`); the system CAs unless `KAFKA_SSL_CA_FILE`',
  ),
  KAFKA_SSL_CA_FILE: optionalString.describe(
    "PEM file of the CA that signed the brokers' certificates",
  ),
  KAFKA_SASL_MECHANISM: z
    .enum(['none', 'plain', 'scram-sha-256', 'scram-sha-512'])
    .default('none')
    .describe(
      'SASL authentication: `none`, `plain`, `scram-sha-256` or `scram-sha-512` (use with `KAFKA_SSL=true`)',
    ),
  KAFKA_SASL_USERNAME: optionalString.describe('SASL user (required with a mechanism)'),
  KAFKA_SASL_PASSWORD: optionalString.describe(
    'SASL password (required with a mechanism; never logged)',
  ),
  KAFKA_DLQ_TOPIC_PARTITIONS: int(4, 1).describe(
    "partitions of a dead-letter topic when the projector creates it (the DLQ sink's parallelism)",
  ),
  REDIS_URL: optionalString.describe(
    'Redis for the shared rate limiter and upload quota (and the health check); unset → in-memory limiter and quota. `rediss://` for TLS; user and password in the URL',
  ),
  REDIS_SENTINELS: optionalString.describe(
    'comma-separated Sentinel `host:port` list: connect to the master Sentinel names (then `REDIS_URL` only gives password, TLS and database)',
  ),
  REDIS_SENTINEL_MASTER: z
    .string()
    .default('mymaster')
    .describe('the master name Sentinel monitors'),
  REDIS_CLUSTER_NODES: optionalString.describe(
    'comma-separated Redis Cluster seed `host:port` list (then `REDIS_URL` only gives password and TLS); the quota keys carry hash tags',
  ),
  ...authFields,
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`'),
  ...corsFields,
  BODY_LIMIT_BYTES: int(256 * 1024, 1024).describe('JSON body limit (413 above)'),
  BODY_MAX_DEPTH: int(64, 4).describe(
    'deepest nesting of a JSON body, the body itself counting 1 (400 naming the field above)',
  ),
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
  LEADER_LEASE_TTL_MS: int(6_000, 500).describe(
    'how long a leader lease (relay per category, detector) lasts without renewal; a standby takes over at most TTL + renew interval after the leader dies',
  ),
  LEADER_LEASE_RENEW_MS: int(1_500, 100).describe(
    'how often a leader renews its lease and a standby tries to take it (keep it ≤ a third of the TTL)',
  ),
  WAYMARK_INSTANCE_ID: optionalString.describe(
    'names this process as a lease holder (e.g. the pod name); unset → `<hostname>:<pid>:<random>`',
  ),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100).describe('graceful-shutdown deadline (SIGTERM/SIGINT)'),
  PROJECTOR_GROUP_ID: groupId('projector').describe(
    'consumer group of the session-summary projector (names its DLQ topic)',
  ),
  DLQ_SINK_GROUP_ID: groupId('dlq-sink').describe('consumer group of the DLQ sink'),
  ...dlqFields,
  CONSUMER_MAX_RETRY_WINDOW_MS: int(60_000, 100).describe(
    'longest a batch is retried before the consumer restarts',
  ),
  EMBEDDED_FEED_INTERVAL_MS: int(200, 10).describe(
    'embedded mode: poll interval of the in-process projection feed',
  ),
  CONSUMER_MAX_BYTES_PER_PARTITION: int(1_048_576, 1024).describe(
    'largest fetch per partition, hence batch size',
  ),
  CONSUMER_SESSION_TIMEOUT_MS: int(10_000, 6_000).describe(
    'a projector that stops heartbeating (killed, frozen, cut off) loses its partitions to the others after this long',
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
  RATE_LIMITER_SERVICE_AGGREGATE_LIMIT: int(20_000, 1).describe(
    'requests per aggregate window of one service token, over all the users it acts for',
  ),
  RATE_LIMITER_SERVICE_AGGREGATE_WINDOW_SECONDS: int(300, 1).describe(
    'window of the service aggregate limit',
  ),
  RATE_LIMITER_ROLE_POLICIES: list('').describe(
    'per-role overrides of the non-critical policy, `role=points/seconds` comma-separated (e.g. `service=1000/300`); unset → users standard, the other roles staff',
  ),
  RATE_LIMITER_CRITICAL_RESOURCES: list('session_start,uploads').describe(
    'comma-separated resources that get the critical limit and fail closed',
  ),
  RATE_LIMITER_CIRCUIT_BREAKER_THRESHOLD: int(5, 1).describe(
    'consecutive Redis failures that open the breaker',
  ),
  RATE_LIMITER_CIRCUIT_BREAKER_RESET_MS: int(300_000, 100).describe(
    'open → half-open after this at the latest (the probe usually closes it sooner)',
  ),
  RATE_LIMITER_CIRCUIT_BREAKER_PROBE_MS: int(1_000, 50).describe(
    'while the breaker is open, PING Redis this often; the first answer closes it',
  ),
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
  ANALYTICS_CACHE_TTL: int(300, 0).describe(
    'seconds an analytics response stays in the Redis cache',
  ),
  FUNNEL_ANALYTICS_CACHE_TTL: int(300, 0).describe(
    "seconds a funnel response (`analytics/funnel/`) stays in the Redis cache; the seed's funnel-specific TTL, other analytics use ANALYTICS_CACHE_TTL",
  ),
  ANALYTICS_DEFAULT_TIME_RANGE_HOURS: int(24, 1, 24 * 90).describe(
    'the window, in hours, of `dashboard/overview/` and `admin/dlq/stats/` when the request names no `time_range_hours` (at most 2160, the longest window the overview accepts)',
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
  RISK_RESCORE_INTERVAL_MS: int(60_000, 1000).describe(
    'the risk tick: how often active sessions scored longer ago than this are scored again (idle time grows without events)',
  ),
  RISK_RESCORE_BATCH: int(500, 1).describe(
    'sessions the risk tick scores again per transaction (pages ordered by when each was scored)',
  ),
  WORKER_HEARTBEAT_INTERVAL_MS: int(10_000, 100).describe(
    'relay, projector and detector write a heartbeat this often (`waymark.worker_heartbeats`)',
  ),
  WORKER_HEARTBEAT_STALE_SECONDS: int(60, 1).describe(
    '`health/` reports a worker whose last heartbeat is older as `fail` (status `degraded`)',
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
