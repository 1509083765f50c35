-- Session snapshots: the folded session state at a stream position, with the state-schema version
-- it was written under. Derived and disposable (the event stream is the truth): a snapshot under
-- another schema version is ignored and the session is replayed instead. Redis holds the newest
-- one for speed; this table is the durable history (the newest ones per session are kept).
CREATE TABLE IF NOT EXISTS waymark.session_snapshots (
  session_id text NOT NULL,
  position bigint NOT NULL,
  schema_version int NOT NULL,
  state jsonb NOT NULL,
  taken_at timestamptz NOT NULL,
  PRIMARY KEY (session_id, position)
);
