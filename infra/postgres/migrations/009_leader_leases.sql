-- Leader leases: one row per singleton role (a relay's category, the abandonment detector). The
-- holder renews `expires_at` well before it passes; anyone may take an expired lease, and taking
-- it increments `token` (the fencing token). Writes a leader makes (relay checkpoints, detector
-- appends) first lock this row FOR SHARE and check holder, token and expiry in the same
-- transaction, so a deposed leader's write fails instead of landing after its successor's.
-- Times are the database's clock only: processes never compare their clocks with each other.
CREATE TABLE IF NOT EXISTS waymark.leader_leases (
  name text PRIMARY KEY,
  holder text NOT NULL,
  token bigint NOT NULL,
  acquired_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
