-- Where the relay has got to, per category. Written only after Kafka acknowledged everything
-- before `next_position`, so a crash republishes a tail (duplicates), never skips (loss).
CREATE TABLE IF NOT EXISTS waymark.relay_checkpoints (
  relay_id text NOT NULL,
  category text NOT NULL,
  next_position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (relay_id, category)
);
