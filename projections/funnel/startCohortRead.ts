import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { startCohortSums, type StartCohort } from '../sessionSummary/activityQueries';
import { safeName } from '../sessionSummary/sessionSummaryTable';
import { splitPeriod } from './funnelRead';

export type StartCohortScope = Readonly<{
  tenantId: string | null;
  from: Date;
  to: Date;
  unit: 'day' | 'week' | 'month';
}>;

/** The whole-flow day rows of every flow, summed per UTC day, week or month of start. */
const dayCohorts = async (
  sql: SqlExecutor,
  table: string,
  scope: StartCohortScope,
  days: Readonly<{ fromDay: string; toDay: string }>,
): Promise<StartCohort[]> =>
  (
    await sql.query<{
      cohort: Date | string;
      total: string;
      completed: string;
      ms: string;
      timed: string;
    }>(
      `SELECT date_trunc('${scope.unit}', day::timestamp) AT TIME ZONE 'UTC' AS cohort,
              sum(coalesce((counts->>'started')::numeric, 0)) AS total,
              sum(coalesce((counts->>'completed')::numeric, 0)) AS completed,
              sum(coalesce((counts->>'completion_ms')::numeric, 0)) AS ms,
              sum((SELECT coalesce(sum(value::text::numeric), 0) FROM jsonb_each(counts)
                    WHERE key LIKE 'ct.%')) AS timed
         FROM ${safeName(table)}
        WHERE ($1::text IS NULL OR tenant_id = $1) AND cohort_key = ''
          AND day >= $2::date AND day < $3::date
        GROUP BY 1`,
      [scope.tenantId, days.fromDay, days.toDay],
    )
  ).map((r) => ({
    start: new Date(r.cohort).toISOString(),
    total: Number(r.total),
    completed: Number(r.completed),
    completionSeconds: Number(r.ms) / 1000,
    timed: Number(r.timed),
  }));

/**
 * Cohorts by start day, week or month over every flow: the whole UTC days of the period from the
 * funnel read model (`funnelTable`: sessions, completed, the completion-time sum and how many
 * sessions it sums), the partial days at its edges from the session summaries (`summaryTable`),
 * added per cohort. Both are written in one transaction, so they agree.
 */
export const readStartCohorts = async (
  sql: SqlExecutor,
  tables: Readonly<{ funnelTable: string; summaryTable: string }>,
  scope: StartCohortScope,
) => {
  const { days, edges } = splitPeriod(scope.from, scope.to);
  const parts = await Promise.all([
    ...(days === null ? [] : [dayCohorts(sql, tables.funnelTable, scope, days)]),
    ...edges.map((edge) => startCohortSums(sql, tables.summaryTable, { ...scope, ...edge })),
  ]);
  const byStart = new Map<string, StartCohort>();
  for (const c of parts.flat()) {
    const known = byStart.get(c.start);
    byStart.set(
      c.start,
      known === undefined
        ? c
        : {
            start: c.start,
            total: known.total + c.total,
            completed: known.completed + c.completed,
            completionSeconds: known.completionSeconds + c.completionSeconds,
            timed: known.timed + c.timed,
          },
    );
  }
  return [...byStart.values()]
    .sort((a, b) => a.start.localeCompare(b.start))
    .map((c) => ({
      start: c.start,
      total: c.total,
      completed: c.completed,
      avgCompletionSeconds: c.timed === 0 ? null : c.completionSeconds / c.timed,
    }));
};
