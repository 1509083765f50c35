-- The session summary read model (projection `session-summary-v1`): flattened columns for the
-- queries (analytics, risk, recovery build on them) plus the folded state as jsonb, which the
-- next event evolves. `last_position` is the per-session position guard. Only
-- projections/sessionSummary/ names these columns. A rebuild creates a table LIKE this one
-- (indexes included) and swaps it in (projections/rebuild.ts).
CREATE TABLE IF NOT EXISTS waymark.session_summary_v1 (
  session_id text PRIMARY KEY,
  last_position bigint NOT NULL,
  tenant_id text NOT NULL,
  user_id text NOT NULL,
  flow_id text NOT NULL,
  flow_version int NOT NULL,
  status text NOT NULL,
  current_step text,
  current_step_index int,
  furthest_step_index int NOT NULL,
  furthest_step_reached_at timestamptz,
  started_at timestamptz NOT NULL,
  last_activity_at timestamptz NOT NULL,
  ended_at timestamptz,
  errors int NOT NULL,
  question_repeats int NOT NULL,
  upload_rejections int NOT NULL,
  rate_limit_hits int NOT NULL,
  checkpoints int NOT NULL,
  resumes int NOT NULL,
  language text NOT NULL,
  channel text NOT NULL,
  user_type text NOT NULL,
  client_id text,
  state jsonb NOT NULL,
  stages jsonb NOT NULL
);
-- Analytics scan by tenant, flow and start time; the stage stats ride along in the same row.
CREATE INDEX IF NOT EXISTS session_summary_v1_tenant_started
  ON waymark.session_summary_v1 (tenant_id, flow_id, started_at);
-- Realtime and overview look at recent activity.
CREATE INDEX IF NOT EXISTS session_summary_v1_tenant_activity
  ON waymark.session_summary_v1 (tenant_id, last_activity_at);
