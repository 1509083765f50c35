-- The heatmap read model (projections/heatmap/): dropped sessions (ended cancelled or abandoned)
-- per tenant, flow, UTC day of start, UTC hour of their last activity and the furthest step
-- they reached (-1: none), kept in the same transaction as the session summary it is derived
-- from. The heatmap picks sessions by start and buckets them by last activity, so it needs both.
CREATE TABLE IF NOT EXISTS waymark.dropoff_hourly_v1 (
  tenant_id  text        NOT NULL,
  flow_id    text        NOT NULL,
  start_day  date        NOT NULL,
  hour       timestamptz NOT NULL,
  stage      int         NOT NULL,
  sessions   int         NOT NULL,
  PRIMARY KEY (tenant_id, flow_id, start_day, hour, stage)
);

-- A superadmin's heatmap over every tenant reads by flow and day.
CREATE INDEX IF NOT EXISTS dropoff_hourly_v1_flow_day ON waymark.dropoff_hourly_v1 (flow_id, start_day);
