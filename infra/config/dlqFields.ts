import { bool, int } from './configFields';

/**
 * The dead-letter queue's settings and the seed's error-recovery ones that it serves, spread into
 * configSchema at this place of the configuration reference.
 */
export const dlqFields = {
  DLQ_MAX_RETRIES: int(3, 0).describe(
    'retries of a dead letter before it is abandoned (force overrides)',
  ),
  DLQ_MAX_QUEUE_SIZE: int(1000, 1).describe(
    'dead letters kept per tenant; beyond it the sink evicts handled entries first, then the oldest open ones (counted in `dlq_tasks_evicted_total`, logged)',
  ),
  DLQ_RETENTION_DAYS: int(30, 1).describe(
    'resolved/abandoned dead letters older than this are purged',
  ),
  ERROR_RECOVERY_LOG_RETENTION_DAYS: int(30, 1).describe(
    "days a recovery attempt (a dead letter's retry-history line: when, who, outcome, error) is kept, of open entries too; the entry keeps its retry_count",
  ),
  ERROR_RECOVERY_ENABLE_ML_SUGGESTIONS: bool(false).describe(
    "read and validated, no effect: error `suggestion`s are fixed texts per error code, and Waymark has no model that proposes recovery steps (the seed's default `true` was read by nothing either); `true` logs a warning at startup",
  ),
};
