-- One table for every reading position: where each reader (a relay, an embedded projection feed,
-- a Kafka consumer group) has got to in each source it reads (`category/<name>` of the event
-- store, `kafka/<topic>/<partition>`): the next position to read. Each reader writes its row in
-- the same transaction as what it produced from the events before it (read-model rows, dead
-- letters), or only after Kafka acknowledged them (the relay), so a crash repeats, never skips.
CREATE TABLE IF NOT EXISTS waymark.reader_positions (
  reader text NOT NULL,
  source text NOT NULL,
  next_position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (reader, source)
);

INSERT INTO waymark.reader_positions (reader, source, next_position, updated_at)
SELECT 'relay:' || relay_id, 'category/' || category, next_position, updated_at
  FROM waymark.relay_checkpoints
ON CONFLICT DO NOTHING;
INSERT INTO waymark.reader_positions (reader, source, next_position)
SELECT feed_id, 'category/' || category, next_position FROM waymark.feed_positions
ON CONFLICT DO NOTHING;
INSERT INTO waymark.reader_positions (reader, source, next_position, updated_at)
SELECT group_id, 'kafka/' || topic || '/' || partition, next_offset, updated_at
  FROM waymark.consumer_offsets
ON CONFLICT DO NOTHING;

DROP TABLE waymark.relay_checkpoints;
DROP TABLE waymark.feed_positions;
DROP TABLE waymark.consumer_offsets;
