-- Consumer positions stored in the same transaction as the read models they produced.
CREATE TABLE IF NOT EXISTS waymark.consumer_offsets (
  group_id text NOT NULL,
  topic text NOT NULL,
  partition int NOT NULL,
  next_offset bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, topic, partition)
);

-- Embedded mode (no Kafka): projections fed from the event store's log, position per feed.
CREATE TABLE IF NOT EXISTS waymark.feed_positions (
  feed_id text NOT NULL,
  category text NOT NULL,
  next_position bigint NOT NULL,
  PRIMARY KEY (feed_id, category)
);

-- Dead letters, durable. One row per failed message; the source coordinates dedupe redelivery.
CREATE TABLE IF NOT EXISTS waymark.dlq_entries (
  id text PRIMARY KEY,
  group_id text NOT NULL,
  source_topic text NOT NULL,
  source_partition int NOT NULL,
  source_offset bigint NOT NULL,
  message_key text,
  message_value bytea,
  message_headers jsonb NOT NULL DEFAULT '{}',
  error_category text NOT NULL,
  error_type text NOT NULL,
  error_message text NOT NULL,
  error_stack text,
  attempts int NOT NULL,
  first_failed_at timestamptz NOT NULL,
  last_failed_at timestamptz NOT NULL,
  correlation_id text,
  session_id text,
  tenant_id text,
  event_type text,
  stream_position bigint,
  status text NOT NULL DEFAULT 'pending',
  retry_count int NOT NULL DEFAULT 0,
  max_retries int NOT NULL DEFAULT 3,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_retry_at timestamptz,
  UNIQUE (group_id, source_topic, source_partition, source_offset)
);
CREATE INDEX IF NOT EXISTS dlq_entries_tenant_status ON waymark.dlq_entries (tenant_id, status, created_at);
CREATE INDEX IF NOT EXISTS dlq_entries_session ON waymark.dlq_entries (group_id, session_id, status);

CREATE TABLE IF NOT EXISTS waymark.dlq_retry_history (
  entry_id text NOT NULL REFERENCES waymark.dlq_entries (id) ON DELETE CASCADE,
  attempt int NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  outcome text NOT NULL,
  error text,
  PRIMARY KEY (entry_id, attempt)
);

-- Who did what to what (admin actions), per tenant.
CREATE TABLE IF NOT EXISTS waymark.audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  tenant_id text NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text,
  details jsonb NOT NULL DEFAULT '{}',
  correlation_id text
);
CREATE INDEX IF NOT EXISTS audit_log_tenant_at ON waymark.audit_log (tenant_id, at);
