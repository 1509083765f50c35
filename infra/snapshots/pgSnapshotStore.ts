import type { SqlExecutor } from '../postgres/sqlClient';
import type { SessionSnapshot, SnapshotStore } from './snapshotStore';

type Row = {
  session_id: string;
  position: string | number;
  schema_version: number;
  state: SessionSnapshot['state'] | string;
  taken_at: Date | string;
};

/** Slots in each session's ring: the newest 50 checkpoints keep a snapshot. */
const ringSize = 50;

/**
 * PostgreSQL tier: the durable history (migration 005), one upsert per write into the session's
 * ring slot. A slot only moves forward, so a late write of an older snapshot changes nothing.
 */
export const createPgSnapshotStore = (sql: SqlExecutor): SnapshotStore => ({
  async save(s) {
    await sql.query(
      `INSERT INTO waymark.session_snapshots AS t (session_id, slot, position, schema_version, state, taken_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (session_id, slot) DO UPDATE SET position = EXCLUDED.position,
         schema_version = EXCLUDED.schema_version, state = EXCLUDED.state, taken_at = EXCLUDED.taken_at
       WHERE t.position < EXCLUDED.position`,
      [
        s.sessionId,
        s.state.checkpointVersion % ringSize,
        s.position,
        s.schemaVersion,
        JSON.stringify(s.state),
        s.takenAt,
      ],
    );
  },
  async latest(sessionId) {
    const [row] = await sql.query<Row>(
      `SELECT session_id, position, schema_version, state, taken_at
       FROM waymark.session_snapshots WHERE session_id = $1 ORDER BY position DESC LIMIT 1`,
      [sessionId],
    );
    if (row === undefined) return null;
    return {
      sessionId: row.session_id,
      position: Number(row.position),
      schemaVersion: row.schema_version,
      state:
        typeof row.state === 'string'
          ? (JSON.parse(row.state) as SessionSnapshot['state'])
          : row.state,
      takenAt: new Date(row.taken_at).toISOString(),
    };
  },
});
