import type { SqlClient, SqlExecutor } from '../../../infra/postgres/sqlClient';
import { sessionSummaryReadModel } from '../../../projections/readModels';
import { projectionSpec } from './projectionSpec';

/** Plain JSON of a timestamptz (Date from PGlite, text from node-pg) or null. */
const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string | Date).toISOString();

const timestamps = ['furthest_step_reached_at', 'started_at', 'last_activity_at', 'ended_at'];
const integers = ['last_position'];

/** A session_summary_v1 row as plain JSON: every column (the folded state as `state`). */
export type SummaryRow = Record<string, unknown>;

/** A row as selected (`SELECT *`) to plain JSON, without its session_id. */
export const plainSummaryRow = (row: Record<string, unknown>): SummaryRow => {
  return Object.fromEntries(
    Object.entries(row)
      .filter(([k]) => k !== 'session_id')
      .map(([k, v]) => [k, timestamps.includes(k) ? iso(v) : integers.includes(k) ? Number(v) : v]),
  );
};

export const readSummaryRow = async (
  sql: SqlExecutor,
  table: string,
  sessionId: string,
): Promise<SummaryRow | null> => {
  const [row] = await sql.query<Record<string, unknown>>(
    `SELECT * FROM ${table} WHERE session_id = $1`,
    [sessionId],
  );
  return row === undefined ? null : plainSummaryRow(row);
};

/** given/when/then over the session summary read model (projection session-summary-v1). */
export const sessionSummarySpec = (sql: () => SqlClient) =>
  projectionSpec<SummaryRow>({
    sql,
    liveTable: sessionSummaryReadModel.liveTable,
    projectionOver: sessionSummaryReadModel.projectionOver,
    readRow: readSummaryRow,
  });
