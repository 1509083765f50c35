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
  /** '' for the whole flow, else a cohort dimension (cohortKeys.ts) and the session's value. */
  cohortKey: string;
  cohortValue: string;
}>;

export const keyText = (k: FunnelKey) =>
  JSON.stringify([k.tenantId, k.flowId, k.cohortKey, k.day, k.flowVersion, k.cohortValue]);

/**
 * Adds each delta to its row in one statement (`waymark.add_counts` under the row lock of
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
      cohort_key: key.cohortKey,
      cohort_value: key.cohortValue,
      counts,
    }));
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO ${safeName(table)} AS f
       (tenant_id, flow_id, flow_version, day, cohort_key, cohort_value, counts)
     SELECT tenant_id, flow_id, flow_version, day, cohort_key, cohort_value, counts
       FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
     ON CONFLICT (tenant_id, flow_id, cohort_key, day, flow_version, cohort_value)
     DO UPDATE SET counts = waymark.add_counts(f.counts, EXCLUDED.counts)`,
    [JSON.stringify(rows)],
  );
};

export type DayRow = Readonly<{ day: string; cohortValue: string; counts: FunnelCounts }>;

type DaysScope = Readonly<{
  tenantId: string | null;
  flowId: string;
  fromDay: string;
  toDay: string;
}>;

/** The day rows of one flow (every version) and cohort key between two days, `to` exclusive. */
export const readCohortDays = async (
  sql: SqlExecutor,
  table: string,
  scope: DaysScope & Readonly<{ cohortKey: string }>,
): Promise<DayRow[]> =>
  sql.query<{ day: string; cohortValue: string; counts: FunnelCounts }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, cohort_value AS "cohortValue", counts
       FROM ${safeName(table)}
      WHERE ($1::text IS NULL OR tenant_id = $1) AND flow_id = $2 AND cohort_key = $5
        AND day >= $3::date AND day < $4::date`,
    [scope.tenantId, scope.flowId, scope.fromDay, scope.toDay, scope.cohortKey],
  );

/**
 * The whole-flow counts of one flow (every version) between two days, summed key by key in the
 * database (one small map crosses the wire instead of every day row's).
 */
export const sumDays = async (
  sql: SqlExecutor,
  table: string,
  scope: DaysScope,
): Promise<FunnelCounts> => {
  const [row] = await sql.query<{ counts: FunnelCounts }>(
    `SELECT coalesce(jsonb_object_agg(key, n), '{}'::jsonb) AS counts
       FROM (SELECT e.key, sum(e.value::text::numeric) AS n
               FROM ${safeName(table)} t CROSS JOIN LATERAL jsonb_each(t.counts) e
              WHERE ($1::text IS NULL OR t.tenant_id = $1) AND t.flow_id = $2 AND t.cohort_key = ''
                AND t.day >= $3::date AND t.day < $4::date
              GROUP BY e.key) s`,
    [scope.tenantId, scope.flowId, scope.fromDay, scope.toDay],
  );
  return row?.counts ?? {};
};
