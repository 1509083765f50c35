import type { EventStore } from '../infra/eventStore/eventStore';
import type { Logger } from '../infra/observability/logger';
import type { SqlClient, SqlExecutor } from '../infra/postgres/sqlClient';
import type { Projection } from './projection';

/** A read model that can be rebuilt: its live table and its projection over any table. */
export type RebuildableReadModel = Readonly<{
  id: string;
  /** `waymark.<name>`, created by the read model's migration. */
  liveTable: string;
  category: string;
  projectionOver: (table: string) => Projection;
  /** Work tables a rebuild into `fresh` needs beside it (a derived model's session state). */
  scratchTables?: (fresh: string) => readonly Readonly<{ table: string; like: string }>[];
}>;

const pageSize = 5_000;
const bare = (table: string): string => table.slice(table.indexOf('.') + 1);

/** Applies every event of the category from a position; returns the next position. */
const feed = async (
  deps: Readonly<{ sql: SqlClient; eventStore: EventStore }>,
  what: Readonly<{ projection: Projection; category: string; from: number }>,
  tx?: SqlExecutor,
) => {
  const { projection, category } = what;
  let next = what.from;
  for (;;) {
    const events = await deps.eventStore.readCategory(category, next, pageSize);
    const last = events.at(-1);
    if (last === undefined) return next;
    const apply = async (t: SqlExecutor) => {
      const outcome = await projection.applyBatch(t, events);
      const failure = outcome.failures[0];
      if (failure !== undefined) throw failure.error;
    };
    if (tx) await apply(tx);
    else await deps.sql.transaction(apply);
    next = last.globalPosition + 1;
  }
};

const scratchOf = (model: RebuildableReadModel, fresh: string) =>
  model.scratchTables?.(fresh) ?? [];

type IndexRow = { indexname: string; indexdef: string };

/** An index's definition without its name and table: what makes two indexes the same. */
const shapeOf = (row: IndexRow) => row.indexdef.replace(/INDEX \S+ ON \S+/, 'INDEX ON');

const indexesOf = (tx: SqlExecutor, table: string) =>
  tx.query<IndexRow>(
    'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2',
    [table.slice(0, table.indexOf('.')), bare(table)],
  );

/**
 * Replaces `live` by `fresh` (created LIKE live INCLUDING ALL, so with the same indexes) and gives
 * every index of the new live table the name its counterpart had, so a later migration's
 * `CREATE INDEX IF NOT EXISTS` finds it and a later rebuild keeps it again.
 */
const swapTables = async (tx: SqlExecutor, live: string, fresh: string) => {
  const before = await indexesOf(tx, live);
  await tx.query(`DROP TABLE ${live}`);
  await tx.query(`ALTER TABLE ${fresh} RENAME TO ${bare(live)}`);
  for (const index of await indexesOf(tx, live)) {
    const original = before.find((b) => shapeOf(b) === shapeOf(index));
    if (original !== undefined && original.indexname !== index.indexname)
      await tx.query(
        `ALTER INDEX ${live.slice(0, live.indexOf('.'))}.${index.indexname} RENAME TO ${original.indexname}`,
      );
  }
};

/**
 * Rebuilds a read model from the event store into a fresh table, then switches over: inside one
 * transaction that locks the live table (the projector waits), it applies the events appended
 * since the bulk pass and swaps the tables. Events the projector delivers afterwards are already
 * applied, so its position guard skips them. With `switchOver: false` the fresh table is left
 * beside the live one (used to compare the two).
 */
export const rebuildReadModel = async (
  deps: Readonly<{ sql: SqlClient; eventStore: EventStore; logger: Logger }>,
  model: RebuildableReadModel,
  options: Readonly<{ switchOver: boolean }> = { switchOver: true },
): Promise<{ table: string }> => {
  const fresh = `${model.liveTable}_rebuild`;
  await deps.sql.transaction(async (tx) => {
    await tx.query(`DROP TABLE IF EXISTS ${fresh}`);
    await tx.query(`CREATE TABLE ${fresh} (LIKE ${model.liveTable} INCLUDING ALL)`);
    for (const scratch of scratchOf(model, fresh)) {
      await tx.query(`DROP TABLE IF EXISTS ${scratch.table}`);
      await tx.query(`CREATE TABLE ${scratch.table} (LIKE ${scratch.like} INCLUDING ALL)`);
    }
  });
  const projection = model.projectionOver(fresh);
  const next = await feed(deps, { projection, category: model.category, from: 1 });
  deps.logger.info({ readModel: model.id, table: fresh, next }, 'bulk rebuild done');
  if (!options.switchOver) return { table: fresh };
  await deps.sql.transaction(async (tx) => {
    await tx.query(`LOCK TABLE ${model.liveTable} IN ACCESS EXCLUSIVE MODE`);
    await feed(deps, { projection, category: model.category, from: next }, tx);
    await swapTables(tx, model.liveTable, fresh);
    for (const scratch of scratchOf(model, fresh)) await tx.query(`DROP TABLE ${scratch.table}`);
  });
  deps.logger.info(
    { readModel: model.id, table: model.liveTable },
    'switched over to the rebuilt table',
  );
  return { table: model.liveTable };
};
