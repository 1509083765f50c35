import type { SqlExecutor } from '../../infra/postgres/sqlClient';

/**
 * How far a projection is behind. Kafka mode: the topic's end offsets (from the broker) minus the
 * offsets stored with the read model. Embedded mode: events of the category at or after the feed
 * position, and the age of the oldest of them.
 */
export const createProjectionLag =
  (
    deps: Readonly<{
      sql: SqlExecutor;
      projectionId: string;
      groupId: string;
      category: string;
      topic: string;
      topicEnds: (() => Promise<Map<number, number>>) | null;
    }>,
  ) =>
  async (): Promise<Record<string, unknown>> => {
    if (deps.topicEnds !== null) {
      const ends = await deps.topicEnds();
      const stored = await deps.sql.query<{ partition: number; next_offset: string }>(
        'SELECT partition, next_offset FROM waymark.consumer_offsets WHERE group_id = $1 AND topic = $2',
        [deps.groupId, deps.topic],
      );
      const done = new Map(stored.map((r) => [r.partition, Number(r.next_offset)]));
      const behind = [...ends].reduce(
        (sum, [p, end]) => sum + Math.max(0, end - (done.get(p) ?? 0)),
        0,
      );
      return { [deps.projectionId]: { lag_events: behind, lag_seconds: null } };
    }
    const [row] = await deps.sql.query<{ n: string; age: string | null }>(
      `SELECT count(*) AS n, extract(epoch FROM (now() AT TIME ZONE 'utc') - min(time)) AS age
       FROM message_store.messages
       WHERE category(stream_name) = $1 AND global_position >= coalesce(
         (SELECT next_position FROM waymark.feed_positions WHERE feed_id = $2 AND category = $1), 1)`,
      [deps.category, deps.groupId],
    );
    return {
      [deps.projectionId]: {
        lag_events: Number(row?.n ?? 0),
        lag_seconds: Math.max(0, Number(row?.age ?? 0)),
      },
    };
  };
