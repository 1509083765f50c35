import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { safeName } from '../sessionSummary/sessionSummaryTable';

/** The live table, created by migrations/017_dropoff_hourly_v1.sql. */
export const liveDropOffTable = 'waymark.dropoff_hourly_v1';

export type DropOffKey = Readonly<{
  tenantId: string;
  flowId: string;
  /** UTC day of the session's start, YYYY-MM-DD. */
  startDay: string;
  /** UTC hour of the last activity, ISO. */
  hour: string;
  /** The furthest step index (-1: ended before any step). */
  stage: number;
}>;

export const dropOffKeyText = (k: DropOffKey) =>
  JSON.stringify([k.tenantId, k.flowId, k.startDay, k.hour, k.stage]);

/**
 * Adds each delta to its row in one statement, rows in key order so that concurrent batches lock
 * them in the same order; rows that fall to zero are deleted (a table of non-empty cells only).
 */
export const addDropOffs = async (
  tx: SqlExecutor,
  table: string,
  deltas: ReadonlyMap<string, { key: DropOffKey; n: number }>,
) => {
  const rows = [...deltas.entries()]
    .filter(([, d]) => d.n !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { key, n }]) => ({
      tenant_id: key.tenantId,
      flow_id: key.flowId,
      start_day: key.startDay,
      hour: key.hour,
      stage: key.stage,
      sessions: n,
    }));
  if (rows.length === 0) return;
  const name = safeName(table);
  const json = JSON.stringify(rows);
  await tx.query(
    `INSERT INTO ${name} AS t (tenant_id, flow_id, start_day, hour, stage, sessions)
     SELECT tenant_id, flow_id, start_day, hour, stage, sessions
       FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
     ON CONFLICT (tenant_id, flow_id, start_day, hour, stage)
     DO UPDATE SET sessions = t.sessions + EXCLUDED.sessions`,
    [json],
  );
  // A second statement: one statement cannot delete a row it has just updated.
  if (rows.some((r) => r.sessions < 0))
    await tx.query(
      `DELETE FROM ${name} t USING jsonb_populate_recordset(NULL::${table}, $1::jsonb) r
        WHERE t.sessions = 0 AND t.tenant_id = r.tenant_id AND t.flow_id = r.flow_id
          AND t.start_day = r.start_day AND t.hour = r.hour AND t.stage = r.stage`,
      [json],
    );
};

export type DropOffCell = Readonly<{ bucket: string; stage: number; count: number }>;

/** Dropped sessions of one flow started in whole UTC days [fromDay, toDay), per bucket × stage. */
export const readDropOffDays = async (
  sql: SqlExecutor,
  table: string,
  scope: Readonly<{
    tenantId: string | null;
    flowId: string;
    fromDay: string;
    toDay: string;
    unit: 'hour' | 'day' | 'week';
  }>,
): Promise<DropOffCell[]> =>
  (
    await sql.query<{ bucket: Date | string; stage: number; n: string }>(
      `SELECT date_trunc('${scope.unit}', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket,
              stage, sum(sessions) AS n
         FROM ${safeName(table)}
        WHERE ($1::text IS NULL OR tenant_id = $1) AND flow_id = $2
          AND start_day >= $3::date AND start_day < $4::date
        GROUP BY 1, 2`,
      [scope.tenantId, scope.flowId, scope.fromDay, scope.toDay],
    )
  ).map((r) => ({
    bucket: new Date(r.bucket).toISOString(),
    stage: Number(r.stage),
    count: Number(r.n),
  }));
