-- One row per worker process: relay, projector and detector beat here; health/ reads the ages.
CREATE TABLE IF NOT EXISTS waymark.worker_heartbeats (
  worker text NOT NULL,
  instance text NOT NULL,
  beat_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (worker, instance)
);
