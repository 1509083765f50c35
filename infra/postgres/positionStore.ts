import type { SqlExecutor } from './sqlClient';

/**
 * Consumer positions kept in PostgreSQL, written in the same transaction as the read-model rows
 * they produced, so a crash can never leave one ahead of the other.
 */
export const loadKafkaOffsets = async (sql: SqlExecutor, groupId: string, topic: string) =>
  new Map(
    (
      await sql.query<{ partition: number; next_offset: string | number }>(
        'SELECT partition, next_offset FROM waymark.consumer_offsets WHERE group_id = $1 AND topic = $2',
        [groupId, topic],
      )
    ).map((r) => [r.partition, Number(r.next_offset)]),
  );

export const saveKafkaOffset = async (
  tx: SqlExecutor,
  where: Readonly<{ groupId: string; topic: string; partition: number }>,
  nextOffset: number,
): Promise<void> => {
  await tx.query(
    `INSERT INTO waymark.consumer_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
     ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`,
    [where.groupId, where.topic, where.partition, nextOffset],
  );
};

export const loadFeedPosition = async (
  sql: SqlExecutor,
  feedId: string,
  category: string,
): Promise<number> => {
  const [row] = await sql.query<{ next_position: string | number }>(
    'SELECT next_position FROM waymark.feed_positions WHERE feed_id = $1 AND category = $2',
    [feedId, category],
  );
  return row === undefined ? 1 : Number(row.next_position);
};

export const saveFeedPosition = async (
  tx: SqlExecutor,
  feedId: string,
  category: string,
  next: number,
) => {
  await tx.query(
    `INSERT INTO waymark.feed_positions (feed_id, category, next_position) VALUES ($1, $2, $3)
     ON CONFLICT (feed_id, category) DO UPDATE SET next_position = EXCLUDED.next_position`,
    [feedId, category, next],
  );
};
