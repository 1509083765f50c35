-- The funnel read model (projections/funnel/): per tenant, flow, flow version, UTC day of start
-- and cohort, the summed contributions of the sessions started that day (funnelCounts.ts), kept
-- in the same transaction as the session summary it is derived from. cohort_key '' (value '')
-- is the whole flow; 'client', 'language', 'channel' rows hold the same counts per value.
-- A cohort value is '' when the session has none (no client).
CREATE TABLE IF NOT EXISTS waymark.funnel_daily_v1 (
  tenant_id    text   NOT NULL,
  flow_id      text   NOT NULL,
  flow_version int    NOT NULL,
  day          date   NOT NULL,
  cohort_key   text   NOT NULL,
  cohort_value text   NOT NULL,
  counts       jsonb  NOT NULL,
  PRIMARY KEY (tenant_id, flow_id, cohort_key, day, flow_version, cohort_value)
);

-- Adds two count maps key by key and drops zeros: the upsert's atomic merge, so concurrent
-- batches that touch the same day add up instead of overwriting each other.
CREATE OR REPLACE FUNCTION waymark.add_counts(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(key, v ORDER BY key), '{}'::jsonb)
    FROM (SELECT key, sum(value::text::numeric) AS v
            FROM (SELECT * FROM jsonb_each(a) UNION ALL SELECT * FROM jsonb_each(b)) e
           GROUP BY key) s
   WHERE v <> 0
$$;

-- A superadmin's funnel over every tenant reads by flow and day.
CREATE INDEX IF NOT EXISTS funnel_daily_v1_flow_day ON waymark.funnel_daily_v1 (flow_id, cohort_key, day);
