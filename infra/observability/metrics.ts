import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The typed metric set. A Registry per process (created in main.ts, or per test), never the global
 * one: prom-client throws on duplicate registration.
 */
/**
 * prom-client's defaults include `nodejs_active_{handles,requests,resources}_total`: gauges with a
 * counter's suffix, which `promtool check metrics` rejects. The same counts stay exposed, by type,
 * as `nodejs_active_handles`, `nodejs_active_requests` and `nodejs_active_resources`.
 */
const misnamedDefaults = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;

const defaultMetrics = (registry: Registry) => {
  collectDefaultMetrics({ register: registry });
  misnamedDefaults.forEach((name) => registry.removeSingleMetric(name));
};

export const createMetrics = (registry: Registry = new Registry(), defaults = true) => {
  if (defaults) defaultMetrics(registry);
  const registers = [registry];
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    eventsAppended: new Counter({
      name: 'events_appended_total',
      help: 'Events committed to the event store, by event type',
      labelNames: ['type'] as const,
      registers,
    }),
    appendErrors: new Counter({
      name: 'event_store_append_errors_total',
      help: 'Appends the event store refused or failed, other than a wrong expected version',
      registers,
    }),
    workerHeartbeat: new Gauge({
      name: 'worker_heartbeat_timestamp_seconds',
      help: 'Unix time (seconds) of the last successful loop turn of a background worker (relay, consumer group, detector, embedded feed), by worker',
      labelNames: ['worker'] as const,
      registers,
    }),
    relayOldestUnpublishedAge: new Gauge({
      name: 'relay_oldest_unpublished_event_age_seconds',
      help: 'Age of the oldest event not yet published when the relay last read (0 when caught up)',
      labelNames: ['category'] as const,
      registers,
    }),
    readModelLagEvents: new Gauge({
      name: 'read_model_lag_events',
      help: 'Events committed but not yet applied to a read model, counted by the API when scraped (capped at 1000)',
      labelNames: ['projection'] as const,
      registers,
    }),
    readModelLagSeconds: new Gauge({
      name: 'read_model_lag_seconds',
      help: 'Age of the oldest event not yet applied to a read model (embedded feed; 0 when caught up), measured when scraped',
      labelNames: ['projection'] as const,
      registers,
    }),
    appendConflicts: new Counter({
      name: 'append_conflicts_total',
      help: 'Appends that met a wrong expected version (retried or answered 409)',
      registers,
    }),
    relayPublished: new Counter({
      name: 'relay_events_published_total',
      help: 'Events the relay published and the broker acknowledged',
      labelNames: ['category'] as const,
      registers,
    }),
    relayPosition: new Gauge({
      name: 'relay_checkpoint_position',
      help: 'Next global position the relay will read, per category',
      labelNames: ['category'] as const,
      registers,
    }),
    relayLagSeconds: new Gauge({
      name: 'relay_lag_seconds',
      help: 'Age of the newest event the relay published when it was acknowledged',
      labelNames: ['category'] as const,
      registers,
    }),
    leaderActive: new Gauge({
      name: 'leader_active',
      help: 'Whether this process holds the leader lease (1) or stands by (0), per lease',
      labelNames: ['lease', 'holder'] as const,
      registers,
    }),
    leaderToken: new Gauge({
      name: 'leader_lease_token',
      help: 'Fencing token of the lease this process holds (0 while standing by)',
      labelNames: ['lease'] as const,
      registers,
    }),
    dlqTaskFailures: new Counter({
      name: 'dlq_task_failures_total',
      help: 'Messages sent to a dead-letter queue (Kafka or embedded feed), by consumer and error category',
      labelNames: ['task_name', 'error_category'] as const,
      registers,
    }),
    dlqTaskRetries: new Counter({
      name: 'dlq_task_retries_total',
      help: 'Retries by consumer, trigger (automatic batch retry or admin retry of a dead letter) and outcome (success or failure)',
      labelNames: ['task_name', 'trigger', 'outcome'] as const,
      registers,
    }),
    dlqEvicted: new Counter({
      name: 'dlq_tasks_evicted_total',
      help: 'Dead letters deleted to keep a tenant within DLQ_MAX_QUEUE_SIZE, by the status they had',
      labelNames: ['status'] as const,
      registers,
    }),
    dlqQueueDepth: new Gauge({
      name: 'dlq_queue_depth',
      help: 'Open dead letters (pending, retrying, failed; not resolved or abandoned), by status',
      labelNames: ['status'] as const,
      registers,
    }),
    projectionApplied: new Counter({
      name: 'projection_events_applied_total',
      help: 'Events applied to a read model',
      labelNames: ['projection'] as const,
      registers,
    }),
    projectionDuplicates: new Counter({
      name: 'projection_duplicates_skipped_total',
      help: 'Redelivered events skipped by the position guard',
      labelNames: ['projection'] as const,
      registers,
    }),
    projectionLagEvents: new Gauge({
      name: 'projection_lag_events',
      help: 'Messages behind the partition high watermark after the last batch',
      labelNames: ['group', 'partition'] as const,
      registers,
    }),
    projectionLagSeconds: new Gauge({
      name: 'projection_lag_seconds',
      help: 'Age of the last applied message when it was applied',
      labelNames: ['group'] as const,
      registers,
    }),
    rateLimiterBreakerOpen: new Gauge({
      name: 'rate_limiter_circuit_breaker_open',
      help: '1 while the rate limiter circuit breaker is open',
      registers,
    }),
    rateLimiterCacheFailures: new Counter({
      name: 'rate_limiter_cache_failures_total',
      help: 'Rate-limiter calls to Redis that failed',
      registers,
    }),
    rateLimiterFallbackHits: new Counter({
      name: 'rate_limiter_fallback_cache_hits_total',
      help: 'Decisions made by the in-memory fallback limiter',
      registers,
    }),
    rateLimiterDecisions: new Counter({
      name: 'rate_limiter_decisions_total',
      help: 'Rate-limit decisions by resource, decision and source',
      labelNames: ['resource', 'decision', 'source'] as const,
      registers,
    }),
    analyticsCacheRequests: new Counter({
      name: 'analytics_cache_requests_total',
      help: 'Analytics response cache lookups by result',
      labelNames: ['result'] as const,
      registers,
    }),
    analyticsQueryDuration: new Histogram({
      name: 'analytics_query_duration_seconds',
      help: 'Seconds to answer an analytics or dashboard request (cached or not), by endpoint',
      labelNames: ['endpoint'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    abandonmentDetected: new Counter({
      name: 'session_abandonment_detected_total',
      help: 'Sessions the detector marked abandoned, by risk level at the time',
      labelNames: ['risk_level'] as const,
      registers,
    }),
    checkpointsCreated: new Counter({
      name: 'session_checkpoints_created_total',
      help: 'Client checkpoints recorded (created, not skipped or unchanged)',
      registers,
    }),
    sessionResumes: new Counter({
      name: 'session_resumes_total',
      help: 'Sessions resumed, by where the state was restored from (a snapshot tier or replay)',
      labelNames: ['source'] as const,
      registers,
    }),
    recoverySuccessRate: new Gauge({
      name: 'session_recovery_success_rate',
      help: 'Share of resumed sessions that went on to complete a step or the session',
      registers,
    }),
    riskScored: new Counter({
      name: 'session_risk_scored_total',
      help: 'Risk assessments, by scorer (model version or rules) and level',
      labelNames: ['scorer', 'risk_level'] as const,
      registers,
    }),
    uploadRejections: new Counter({
      name: 'upload_throttling_rejections_total',
      help: 'Uploads refused, by reason code',
      labelNames: ['reason'] as const,
      registers,
    }),
    uploadSessionQuota: new Histogram({
      name: 'upload_throttling_session_quota_ratio',
      help: 'Session quota utilisation (tightest limit, 0-1) after each reservation',
      buckets: [0.1, 0.25, 0.5, 0.75, 0.9, 1],
      registers,
    }),
  };
};

export type Metrics = ReturnType<typeof createMetrics>;
