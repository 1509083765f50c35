-- Crypto-shredding: one data key per data subject, stored wrapped (AES-256-GCM) under the
-- key-encryption key from configuration. Erasure deletes the row; every sealed copy of the
-- subject's data (events, Kafka, DLQ, snapshots) becomes unreadable at once.
CREATE TABLE IF NOT EXISTS waymark.subject_keys (
  subject text PRIMARY KEY,
  wrapped_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- What was erased, when and by whom (no personal data: the subject id is pseudonymous).
CREATE TABLE IF NOT EXISTS waymark.subject_erasures (
  id bigserial PRIMARY KEY,
  subject text NOT NULL,
  tenant_id text NOT NULL,
  erased_at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  correlation_id text,
  key_existed boolean NOT NULL,
  files_removed int NOT NULL
);
CREATE INDEX IF NOT EXISTS subject_erasures_tenant ON waymark.subject_erasures (tenant_id, erased_at);
