import type { SqlExecutor } from '../../infra/postgres/sqlClient';
import { sessionFunnelFacts, type SessionScope } from '../sessionSummary/funnelQueries';
import { funnelContribution, sumCounts, type FunnelCounts } from './funnelCounts';
import { funnelDataOf } from './funnelData';
import { sumDays } from './funnelTable';

const dayMs = 86_400_000;
const floorDay = (d: Date) => new Date(Math.floor(d.getTime() / dayMs) * dayMs);
const ceilDay = (d: Date) => new Date(Math.ceil(d.getTime() / dayMs) * dayMs);
const dayText = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Splits a period into the whole UTC days inside it (read from the day rows) and the partial
 * days at its edges (at most two, computed from those sessions' summaries with the same
 * contribution): a default period ends now, so its edges are rarely midnights.
 */
export const splitPeriod = (from: Date, to: Date) => {
  const first = ceilDay(from);
  const last = floorDay(to);
  if (first >= last) return { days: null, edges: [{ from, to }] };
  return {
    days: { fromDay: dayText(first), toDay: dayText(last) },
    edges: [
      { from, to: first },
      { from: last, to },
    ].filter((e) => e.from < e.to),
  };
};

/**
 * The funnel data of a period from the funnel read model (`funnelTable`) and, for the partial
 * days, the session summaries (`scope.table`); both are written in one transaction, so they agree.
 */
export const readFunnelData = async (
  sql: SqlExecutor,
  funnelTable: string,
  scope: SessionScope,
  steps: number,
) => {
  const { days, edges } = splitPeriod(scope.from, scope.to);
  const parts: FunnelCounts[] = [];
  if (days !== null) parts.push(await sumDays(sql, funnelTable, { ...scope, ...days }));
  for (const edge of edges)
    parts.push(...(await sessionFunnelFacts(sql, { ...scope, ...edge })).map(funnelContribution));
  return funnelDataOf(sumCounts(parts), steps);
};
