-- Session snapshots: the folded session state at a stream position, with the state-schema version
-- it was written under. Derived and disposable (the event stream is the truth): a snapshot under
-- another schema version is ignored and the session is replayed instead. Redis holds the newest
-- one for speed; this table is the durable history, a ring of 50 slots per session (slot =
-- checkpoint version mod 50), so a write is one upsert and the history never grows past 50.
CREATE TABLE IF NOT EXISTS waymark.session_snapshots (
  session_id text NOT NULL,
  slot int NOT NULL,
  position bigint NOT NULL,
  schema_version int NOT NULL,
  state jsonb NOT NULL,
  taken_at timestamptz NOT NULL,
  PRIMARY KEY (session_id, slot)
);
