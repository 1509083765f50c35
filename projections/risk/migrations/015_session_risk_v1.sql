-- The risk read model (projections/risk/): per active session its current abandonment-risk score,
-- level and features, written in the session summary projection's transaction (so under its
-- position guard) and re-scored by the clock tick as idle time grows (services/risk/rescore.ts).
-- An ended session's row is deleted, so every row is an active session. `last_position` is the
-- summary position the score was computed from: the tick writes only if it is still the row's.
-- `scored_at` is the instant the score describes: the last event's time when an event scored
-- it (a rebuild gives the same row), the tick's clock when the tick did.
CREATE TABLE IF NOT EXISTS waymark.session_risk_v1 (
  session_id            text PRIMARY KEY,
  tenant_id             text NOT NULL,
  user_id               text NOT NULL,
  last_position         bigint NOT NULL,
  score                 double precision NOT NULL,
  level                 text NOT NULL,
  scorer                text NOT NULL,
  model_version         int,
  features              jsonb NOT NULL,
  intervention_priority text NOT NULL,
  recommended_action    text,
  current_step          text,
  started_at            timestamptz NOT NULL,
  last_activity_at      timestamptz NOT NULL,
  scored_at             timestamptz NOT NULL
);
-- The at-risk list and the dashboards: a tenant's sessions at or above a level (a level is a
-- score range, services/risk/assess.ts), riskiest first, the longest idle first among equals;
-- the count of the same range is an index-only scan.
CREATE INDEX IF NOT EXISTS session_risk_v1_tenant_score
  ON waymark.session_risk_v1 (tenant_id, score DESC, last_activity_at, session_id);
-- A superadmin's list over every tenant.
CREATE INDEX IF NOT EXISTS session_risk_v1_score
  ON waymark.session_risk_v1 (score DESC, last_activity_at, session_id);
-- The tick: the rows scored longest ago, page by page.
CREATE INDEX IF NOT EXISTS session_risk_v1_scored
  ON waymark.session_risk_v1 (scored_at, session_id);
