import type { SqlClient, SqlExecutor } from './sqlClient';

/**
 * Reading positions (migration 008): the next position each reader will read in each source.
 * Relay checkpoints, embedded feed positions and Kafka consumer offsets are all this one thing,
 * so they share one table and these three functions. A reader that produces rows from what it
 * read saves its position in the same transaction as those rows (the caller's `tx`).
 */
export const categorySource = (category: string): string => `category/${category}`;
export const partitionSource = (topic: string, partition: number): string =>
  `kafka/${topic}/${partition}`;

/** The next position of one reader in one source; `fallback` when it has never saved one. */
export const readPosition = async (
  sql: SqlExecutor,
  reader: string,
  source: string,
  fallback: number,
): Promise<number> => {
  const [row] = await sql.query<{ next_position: string | number }>(
    'SELECT next_position FROM waymark.reader_positions WHERE reader = $1 AND source = $2',
    [reader, source],
  );
  return row === undefined ? fallback : Number(row.next_position);
};

/** Every position of a reader whose source starts with `prefix` (e.g. one topic's partitions). */
export const readPositions = async (
  sql: SqlExecutor,
  reader: string,
  prefix: string,
): Promise<Map<string, number>> =>
  new Map(
    (
      await sql.query<{ source: string; next_position: string | number }>(
        `SELECT source, next_position FROM waymark.reader_positions
          WHERE reader = $1 AND starts_with(source, $2)`,
        [reader, prefix],
      )
    ).map((r) => [r.source, Number(r.next_position)]),
  );

export const savePosition = async (
  tx: SqlExecutor,
  reader: string,
  source: string,
  next: number,
): Promise<void> => {
  await tx.query(
    `INSERT INTO waymark.reader_positions (reader, source, next_position) VALUES ($1, $2, $3)
     ON CONFLICT (reader, source) DO UPDATE SET next_position = EXCLUDED.next_position, updated_at = now()`,
    [reader, source, next],
  );
};

/** The partitions of one topic a consumer group has positions for, and the next offset of each. */
export const readPartitionOffsets = async (sql: SqlExecutor, groupId: string, topic: string) =>
  new Map(
    [...(await readPositions(sql, groupId, `kafka/${topic}/`))].map(([source, next]) => [
      Number(source.slice(source.lastIndexOf('/') + 1)),
      next,
    ]),
  );

/** Where a reader of store categories has got to: the relay's checkpoints. */
export type CategoryCheckpoints = Readonly<{
  load(category: string): Promise<number>;
  save(category: string, nextPosition: number): Promise<void>;
}>;

/** A category reader's checkpoints in reader_positions (global positions start at 1). */
export const createCategoryCheckpoints = (
  sql: SqlExecutor,
  reader: string,
): CategoryCheckpoints => ({
  load: (category) => readPosition(sql, reader, categorySource(category), 1),
  save: (category, next) => savePosition(sql, reader, categorySource(category), next),
});

/**
 * A category reader's checkpoints whose every write first passes `fence(category, tx)` in the
 * same transaction (the relay's leader lease): a deposed relay cannot move a checkpoint.
 */
export const createFencedCategoryCheckpoints = (
  sql: SqlClient,
  reader: string,
  fence: (category: string, tx: SqlExecutor) => Promise<void>,
): CategoryCheckpoints => ({
  load: (category) => readPosition(sql, reader, categorySource(category), 1),
  save: (category, next) =>
    sql.transaction(async (tx) => {
      await fence(category, tx);
      await savePosition(tx, reader, categorySource(category), next);
    }),
});

/** The reader name of a relay's checkpoints. */
export const relayReader = (relayId: string): string => `relay:${relayId}`;

/**
 * A value that changes whenever any reader saves a position (the projectors in the same
 * transaction as their rows): analytics reuse a cached default-period answer only while it is
 * unchanged. One row per reader and source, so the scan is tiny.
 */
export const positionsVersion = async (sql: SqlExecutor): Promise<string> => {
  const [row] = await sql.query<{ v: string | null }>(
    `SELECT count(*) || ':' || coalesce(sum(next_position), 0) || ':' ||
            coalesce(extract(epoch FROM max(updated_at))::text, '') AS v
       FROM waymark.reader_positions`,
  );
  return row?.v ?? '';
};
