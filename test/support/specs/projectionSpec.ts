import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '../../../events/envelope';
import type { SqlClient } from '../../../infra/postgres/sqlClient';
import type { BatchOutcome, Projection } from '../../../projections/projection';

/**
 * given(events).when(events).then(expected row): a read model as a spec, in the style of
 * Emmett's PostgreSQLProjectionSpec. The events of `given` and of `when` go through the real
 * projection as two batches, each in its own transaction on a fresh copy of the read model's
 * table, so what is stored after `given` is loaded back (jsonb and all) before `when` applies.
 */
export type ProjectionSpecOptions<Row extends object> = Readonly<{
  sql: () => SqlClient;
  /** The live table to copy (LIKE ... INCLUDING ALL) for each spec. */
  liveTable: string;
  projectionOver: (table: string) => Projection;
  /** Work tables the projection over `table` needs beside it (a derived model's summaries). */
  scratchTables?: (table: string) => readonly Readonly<{ table: string; like: string }>[];
  /** The row of one id as plain JSON values (numbers, ISO timestamps), null if none. */
  readRow: (sql: SqlClient, table: string, id: string) => Promise<Row | null>;
}>;

let tables = 0;

export const projectionSpec = <Row extends object>(options: ProjectionSpecOptions<Row>) => ({
  given: (...given: readonly RecordedEvent[]) => ({
    when: (...when: readonly RecordedEvent[]) => {
      const run = async () => {
        const sql = options.sql();
        tables += 1;
        const table = `${options.liveTable}_spec_${process.pid}_${tables}`;
        await sql.query(`CREATE TABLE ${table} (LIKE ${options.liveTable} INCLUDING ALL)`);
        const scratch = options.scratchTables?.(table) ?? [];
        for (const s of scratch)
          await sql.query(`CREATE TABLE ${s.table} (LIKE ${s.like} INCLUDING ALL)`);
        const projection = options.projectionOver(table);
        const outcomes: BatchOutcome[] = [];
        for (const batch of [given, when].filter((b) => b.length > 0))
          outcomes.push(await sql.transaction((tx) => projection.applyBatch(tx, batch)));
        return {
          outcomes,
          row: (id: string) => options.readRow(sql, table, id),
          drop: () => sql.query(`DROP TABLE ${[table, ...scratch.map((s) => s.table)].join(', ')}`),
        };
      };
      return {
        /** The row of `id` afterwards equals (or, with `partial`, contains) `expected`. */
        then: async (id: string, expected: Row | null | Partial<Row>, partial = false) => {
          const result = await run();
          try {
            const row = await result.row(id);
            if (partial && expected !== null) expect(row).toMatchObject(expected);
            else expect(row).toEqual(expected);
          } finally {
            await result.drop();
          }
        },
        /** The `when` batch reports these failures (error names, in order) and applied count. */
        thenFails: async (applied: number, errorNames: readonly string[]) => {
          const result = await run();
          try {
            const last = result.outcomes.at(-1);
            expect(last?.applied).toBe(applied);
            expect(last?.failures.map((f) => f.error.name)).toEqual(errorNames);
          } finally {
            await result.drop();
          }
        },
      };
    },
  }),
});

/** Recorded events of one session's stream, positions from `from` on. */
export const recordedStream = (
  sessionId: string,
  events: readonly { type: string; data: unknown }[],
  from = 0,
): RecordedEvent[] =>
  events.map((e, i) => ({
    eventId: randomUUID(),
    streamName: `onboarding-${sessionId}`,
    type: e.type,
    data: e.data,
    metadata: { correlationId: 'spec', tenantId: 'tenant-a', actor: 'test' },
    streamPosition: from + i,
    globalPosition: 1_000 + from + i,
    recordedAt: '2026-01-05T10:00:00.000Z',
  }));
