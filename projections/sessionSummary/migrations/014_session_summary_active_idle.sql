-- The at-risk candidates (projections/sessionSummary/sessionQueries.ts `activeSessionStates`: a
-- tenant's active sessions, most idle first), which realtime, the overview and the at-risk list
-- read on every request. Through (tenant_id, last_activity_at) the scan also fetched every
-- finished session's row (~900 bytes of state each) only to filter it out; this index holds the
-- active sessions alone. B8 data, 100k sessions, one tenant's 1,000 active of 2,000: 13.5 ms →
-- 3.0 ms warm. It also serves activeByStage (status = 'active' AND recent activity).
-- (tenant_id, last_activity_at) exists already (007); windowActivity's plans use it in < 1 ms.
CREATE INDEX IF NOT EXISTS session_summary_v1_active_idle
  ON waymark.session_summary_v1 (tenant_id, last_activity_at) WHERE status = 'active';
