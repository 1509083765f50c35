import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { sessionFunnelFacts, type SessionScope } from '../sessionSummary/funnelQueries';
import { cohortValuesOf, type CohortDimension } from './cohortKeys';
import { funnelContribution } from './funnelCounts';
import { splitPeriod } from './funnelRead';
import { readCohortDays } from './funnelTable';

type Tally = { total: number; completed: number };

/** Monday of the ISO week of a UTC day, YYYY-MM-DD (PostgreSQL's date_trunc('week')). */
const weekOf = (day: string): string => {
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
};

/**
 * Sessions and completed per cohort over a period, from the funnel read model's cohort rows (a
 * start week from the whole-flow rows by their day) and, for the partial days, the summaries.
 * A missing value (no client) is the cohort `unknown`, listed last as SQL's NULLS LAST does.
 */
export const readCohorts = async (
  sql: SqlExecutor,
  funnelTable: string,
  scope: SessionScope,
  by: CohortDimension | 'start_week',
) => {
  const tallies = new Map<string, Tally>();
  const add = (value: string, total: number, completed: number) => {
    const t = tallies.get(value) ?? { total: 0, completed: 0 };
    tallies.set(value, { total: t.total + total, completed: t.completed + completed });
  };
  const { days, edges } = splitPeriod(scope.from, scope.to);
  if (days !== null)
    for (const row of await readCohortDays(sql, funnelTable, {
      ...scope,
      ...days,
      cohortKey: by === 'start_week' ? '' : by,
    }))
      add(
        by === 'start_week' ? weekOf(row.day) : row.cohortValue,
        row.counts.started ?? 0,
        row.counts.completed ?? 0,
      );
  for (const edge of edges)
    for (const facts of await sessionFunnelFacts(sql, { ...scope, ...edge })) {
      const c = funnelContribution(facts);
      const value =
        by === 'start_week' ? weekOf(facts.startedAt.slice(0, 10)) : cohortValuesOf(facts)[by];
      add(value, c.started ?? 0, c.completed ?? 0);
    }
  return [...tallies.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([value, t]) => ({ cohort: value === '' ? 'unknown' : value, ...t }));
};
