import type { EventStore } from '../infra/eventStore/eventStore';
import type { Logger } from '../infra/observability/logger';
import type { SqlClient, SqlExecutor } from '../infra/postgres/sqlClient';
import { createSessionSummaryProjection } from './sessionSummary/sessionSummaryProjection';

const live = 'session_summary_v1';
const fresh = `${live}_rebuild`;
const pageSize = 5_000;

/** Applies every event of the category from a position into the projection; returns the next position. */
const feed = async (
  deps: Readonly<{ sql: SqlClient | SqlExecutor; eventStore: EventStore }>,
  from: number,
  tx?: SqlExecutor,
) => {
  const projection = createSessionSummaryProjection(`waymark.${fresh}`);
  let next = from;
  for (;;) {
    const events = await deps.eventStore.readCategory('onboarding', next, pageSize);
    const last = events.at(-1);
    if (last === undefined) return next;
    const apply = async (t: SqlExecutor) => {
      const outcome = await projection.applyBatch(t, events);
      const failure = outcome.failures[0];
      if (failure !== undefined) throw failure.error;
    };
    if (tx) await apply(tx);
    else await (deps.sql as SqlClient).transaction(apply);
    next = last.globalPosition + 1;
  }
};

/**
 * Rebuilds `session-summary-v1` from the event store into a fresh table, then switches over:
 * inside one transaction that locks the live table (the projector waits), it applies the events
 * appended since the bulk pass and swaps the tables. Events the projector delivers afterwards are
 * already applied, so its position guard skips them. With `switchOver: false` the fresh table is
 * left beside the live one (used to compare the two).
 */
export const rebuildSessionSummary = async (
  deps: Readonly<{ sql: SqlClient; eventStore: EventStore; logger: Logger }>,
  options: Readonly<{ switchOver: boolean }> = { switchOver: true },
): Promise<{ table: string }> => {
  const projection = createSessionSummaryProjection(`waymark.${fresh}`);
  await deps.sql.transaction(async (tx) => {
    await tx.query(`DROP TABLE IF EXISTS waymark.${fresh}`);
    await projection.ensureSchema(tx);
  });
  const next = await feed(deps, 1);
  deps.logger.info({ table: fresh, next }, 'bulk rebuild done');
  if (!options.switchOver) return { table: `waymark.${fresh}` };
  await deps.sql.transaction(async (tx) => {
    await createSessionSummaryProjection(`waymark.${live}`).ensureSchema(tx);
    await tx.query(`LOCK TABLE waymark.${live} IN ACCESS EXCLUSIVE MODE`);
    await feed(deps, next, tx);
    await tx.query(`DROP TABLE waymark.${live}`);
    await tx.query(`ALTER TABLE waymark.${fresh} RENAME TO ${live}`);
    await tx.query(`ALTER INDEX waymark.${fresh}_pkey RENAME TO ${live}_pkey`);
  });
  deps.logger.info({ table: live }, 'switched over to the rebuilt table');
  return { table: `waymark.${live}` };
};
