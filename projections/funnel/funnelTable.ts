import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { safeName } from '../sessionSummary/sessionSummaryTable';
import type { FunnelCounts } from './funnelCounts';

/** The live table, created by migrations/012_funnel_daily_v1.sql. */
export const liveFunnelTable = 'waymark.funnel_daily_v1';

export type FunnelKey = Readonly<{
  tenantId: string;
  flowId: string;
  flowVersion: number;
  /** UTC day of the session's start, YYYY-MM-DD. */
  day: string;
}>;

export const keyText = (k: FunnelKey) =>
  JSON.stringify([k.tenantId, k.flowId, k.day, k.flowVersion]);

/**
 * Adds each delta to its day's row in one statement (`waymark.add_counts` under the row lock of
 * ON CONFLICT), rows in key order so that concurrent batches lock them in the same order.
 */
export const addToDays = async (
  tx: SqlExecutor,
  table: string,
  deltas: ReadonlyMap<string, { key: FunnelKey; counts: FunnelCounts }>,
) => {
  const rows = [...deltas.entries()]
    .filter(([, d]) => Object.keys(d.counts).length > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { key, counts }]) => ({
      tenant_id: key.tenantId,
      flow_id: key.flowId,
      flow_version: key.flowVersion,
      day: key.day,
      counts,
    }));
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO ${safeName(table)} AS f (tenant_id, flow_id, flow_version, day, counts)
     SELECT tenant_id, flow_id, flow_version, day, counts
       FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
     ON CONFLICT (tenant_id, flow_id, day, flow_version)
     DO UPDATE SET counts = waymark.add_counts(f.counts, EXCLUDED.counts)`,
    [JSON.stringify(rows)],
  );
};

export type DayRow = Readonly<{ day: string; counts: FunnelCounts }>;

/** The day rows of one flow (every version) between two days, `to` exclusive. */
export const readDays = async (
  sql: SqlExecutor,
  table: string,
  scope: Readonly<{ tenantId: string | null; flowId: string; fromDay: string; toDay: string }>,
): Promise<DayRow[]> => {
  const rows = await sql.query<{ day: string; counts: FunnelCounts }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, counts FROM ${safeName(table)}
      WHERE ($1::text IS NULL OR tenant_id = $1) AND flow_id = $2 AND day >= $3::date AND day < $4::date`,
    [scope.tenantId, scope.flowId, scope.fromDay, scope.toDay],
  );
  return rows;
};
