import type { SqlExecutor } from '../postgres/sqlClient';
import type { SessionSnapshot, SnapshotStore } from './snapshotStore';

type Row = {
  session_id: string;
  position: string | number;
  schema_version: number;
  state: SessionSnapshot['state'] | string;
  taken_at: Date | string;
};

/** Snapshots kept per session; older ones are pruned every `pruneEvery` checkpoints. */
const keepPerSession = 50;
const pruneEvery = 10;

/** PostgreSQL tier: the durable history (migration 005). */
export const createPgSnapshotStore = (sql: SqlExecutor): SnapshotStore => ({
  async save(s) {
    await sql.query(
      `INSERT INTO waymark.session_snapshots (session_id, position, schema_version, state, taken_at)
       VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT (session_id, position) DO NOTHING`,
      [s.sessionId, s.position, s.schemaVersion, JSON.stringify(s.state), s.takenAt],
    );
    // Pruning is amortised over checkpoints so the common write stays one statement.
    if (s.state.checkpointVersion % pruneEvery === 0) {
      await sql.query(
        `DELETE FROM waymark.session_snapshots WHERE session_id = $1 AND position < (
           SELECT position FROM waymark.session_snapshots WHERE session_id = $1
           ORDER BY position DESC OFFSET $2 LIMIT 1)`,
        [s.sessionId, keepPerSession - 1],
      );
    }
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
