import type { EventStore } from '../../infra/eventStore/eventStore';
import { categorySource, readPartitionOffsets, readPosition } from '../../infra/postgres/positions';
import type { SqlExecutor } from '../../infra/postgres/sqlClient';

/** Counted up to this many unprojected events; more is reported as `lag_events_capped`. */
const countCap = 1_000;

/**
 * How far a projection is behind. Kafka mode: the topic's end offsets (from the broker) minus the
 * offsets stored with the read model. Embedded mode: the events of the category at or after the
 * feed position, read through the event-store port (so it works on every store), counted up to
 * a cap, and the age of the oldest of them.
 */
export const createProjectionLag =
  (
    deps: Readonly<{
      sql: SqlExecutor;
      eventStore: EventStore;
      projectionId: string;
      groupId: string;
      category: string;
      topic: string;
      topicEnds: (() => Promise<Map<number, number>>) | null;
      clock: () => Date;
    }>,
  ) =>
  async (): Promise<Record<string, unknown>> => {
    if (deps.topicEnds !== null) {
      const ends = await deps.topicEnds();
      const done = await readPartitionOffsets(deps.sql, deps.groupId, deps.topic);
      const behind = [...ends].reduce(
        (sum, [p, end]) => sum + Math.max(0, end - (done.get(p) ?? 0)),
        0,
      );
      return { [deps.projectionId]: { lag_events: behind, lag_seconds: null } };
    }
    const from = await readPosition(deps.sql, deps.groupId, categorySource(deps.category), 1);
    const pending = await deps.eventStore.readCategory(deps.category, from, countCap + 1);
    const oldest = pending[0];
    return {
      [deps.projectionId]: {
        lag_events: Math.min(pending.length, countCap),
        ...(pending.length > countCap ? { lag_events_capped: true } : {}),
        lag_seconds:
          oldest === undefined
            ? 0
            : Math.max(0, (deps.clock().getTime() - Date.parse(oldest.recordedAt)) / 1000),
      },
    };
  };
