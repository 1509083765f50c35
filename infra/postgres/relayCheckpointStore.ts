import type { SqlExecutor } from './sqlClient';

/** Where a relay has got to in each category: the next global position to read. */
export interface RelayCheckpointStore {
  load(category: string): Promise<number>;
  save(category: string, nextPosition: number): Promise<void>;
}

export const createRelayCheckpointStore = (
  sql: SqlExecutor,
  relayId: string,
): RelayCheckpointStore => ({
  load: async (category) => {
    const [row] = await sql.query<{ next_position: string | number }>(
      'SELECT next_position FROM waymark.relay_checkpoints WHERE relay_id = $1 AND category = $2',
      [relayId, category],
    );
    return row === undefined ? 1 : Number(row.next_position);
  },
  save: async (category, nextPosition) => {
    await sql.query(
      `INSERT INTO waymark.relay_checkpoints (relay_id, category, next_position) VALUES ($1, $2, $3)
       ON CONFLICT (relay_id, category) DO UPDATE SET next_position = EXCLUDED.next_position, updated_at = now()`,
      [relayId, category, nextPosition],
    );
  },
});
