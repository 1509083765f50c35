-- The retention purge deletes retry attempts older than ERROR_RECOVERY_LOG_RETENTION_DAYS (dlqQueries.ts
-- purgeRetryHistory): without an index on `at` every purge scanned the whole history.
CREATE INDEX IF NOT EXISTS dlq_retry_history_at ON waymark.dlq_retry_history (at);
